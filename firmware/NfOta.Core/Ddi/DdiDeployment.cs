using System.Collections;
using NfOta.Json;

namespace NfOta.Ddi
{
    /// <summary>
    /// A deploymentBase answer (hawkBit's DdiDeploymentBase): the action's id, how to handle
    /// download and update, and every chunk's artifacts. An nf-ota release is one artifact named
    /// "*.manifest" (the signed manifest) and the files it lists; see <see cref="Manifest"/>.
    /// </summary>
    public sealed class DdiDeployment
    {
        /// <summary>The suffix that marks the nf-ota manifest among a deployment's artifacts.</summary>
        public const string ManifestSuffix = ".manifest";

        /// <summary>The action's id as the server wrote it ("id").</summary>
        public string ActionId { get; private set; }

        /// <summary>deployment.download: "skip", "attempt" or "forced".</summary>
        public string Download { get; private set; }

        /// <summary>deployment.update: "skip", "attempt" or "forced".</summary>
        public string Update { get; private set; }

        /// <summary>deployment.maintenanceWindow: "available", "unavailable", or null when the server sets none.</summary>
        public string MaintenanceWindow { get; private set; }

        /// <summary>Every artifact of every chunk, in order.</summary>
        public DdiArtifact[] Artifacts { get; private set; }

        /// <summary>The one artifact whose file name ends with ".manifest"; throws ddi-no-manifest when there is none and ddi-invalid when there are several.</summary>
        public DdiArtifact Manifest
        {
            get
            {
                DdiArtifact found = null;
                for (int i = 0; i < Artifacts.Length; i++)
                {
                    if (Artifacts[i].Filename.EndsWith(ManifestSuffix))
                    {
                        if (found != null)
                        {
                            throw new OtaException(OtaError.DdiInvalid, "ddi: action " + ActionId + " has two manifests (" + found.Filename + ", " + Artifacts[i].Filename + "): one release per deployment");
                        }
                        found = Artifacts[i];
                    }
                }
                if (found == null || found.DownloadUrl == null)
                {
                    throw new OtaException(OtaError.DdiNoManifest, "ddi: action " + ActionId + " has no downloadable artifact named *" + ManifestSuffix + ": it is not an nf-ota release");
                }
                return found;
            }
        }

        /// <summary>The artifact with this file name, or null.</summary>
        public DdiArtifact Find(string filename)
        {
            for (int i = 0; i < Artifacts.Length; i++)
            {
                if (Artifacts[i].Filename == filename)
                {
                    return Artifacts[i];
                }
            }
            return null;
        }

        public static DdiDeployment Parse(JsonDocument json)
        {
            int root = JsonDocument.Root;
            string id = json.String(json.Member(root, "id"));
            int deployment = json.Member(root, "deployment");
            int chunks = json.Member(deployment, "chunks");
            if (!IsActionId(id) || json.Kind(chunks) != JsonKind.Array)
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: a deploymentBase needs \"id\" (the action's number, as a string) and \"deployment.chunks\" (an array)");
            }
            var artifacts = new ArrayList();
            for (int chunk = json.First(chunks); chunk >= 0; chunk = json.Next(chunk))
            {
                int list = json.Member(chunk, "artifacts");
                for (int artifact = json.First(list); artifact >= 0; artifact = json.Next(artifact))
                {
                    artifacts.Add(ParseArtifact(json, artifact));
                }
            }
            var all = new DdiArtifact[artifacts.Count];
            artifacts.CopyTo(all, 0);
            return new DdiDeployment
            {
                ActionId = id,
                Download = json.String(json.Member(deployment, "download")),
                Update = json.String(json.Member(deployment, "update")),
                MaintenanceWindow = json.String(json.Member(deployment, "maintenanceWindow")),
                Artifacts = all,
            };
        }

        /// <summary>DDI's actionId is a Long in the path: decimal digits only, so it can go into a feedback URL as it is.</summary>
        private static bool IsActionId(string id)
        {
            if (id == null || id.Length == 0 || id.Length > 18)
            {
                return false;
            }
            for (int i = 0; i < id.Length; i++)
            {
                if (id[i] < '0' || id[i] > '9')
                {
                    return false;
                }
            }
            return true;
        }

        private static DdiArtifact ParseArtifact(JsonDocument json, int node)
        {
            string filename = json.String(json.Member(node, "filename"));
            if (filename == null)
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: an artifact has no \"filename\"");
            }
            long size;
            if (!json.TryInteger(json.Member(node, "size"), out size))
            {
                size = -1;
            }
            string url = DdiPoll.Link(json, node, "download") ?? DdiPoll.Link(json, node, "download-http");
            return new DdiArtifact(filename, size, json.String(json.Path(node, "hashes", "sha256")), url);
        }
    }
}
