using nanoFramework.Runtime.InFieldUpdate;

namespace IfuUpdateSample
{
    /// <summary>Reads the signed MCUboot file: up to buffer.Length bytes at offset; the count, 0 at its end, -1 when the transport failed.</summary>
    public delegate int ReadAt(int offset, byte[] buffer);

    /// <summary>What one run of <see cref="IfuUpdate.Run"/> did.</summary>
    public enum IfuOutcome
    {
        /// <summary>The running image was pending verification and is now confirmed.</summary>
        Confirmed,
        /// <summary>The running image is the offered version or newer: nothing to do.</summary>
        UpToDate,
        /// <summary>The image is staged: reboot to run it (it reverts unless confirmed after the reboot).</summary>
        Staged,
        /// <summary>The transport failed part-way: the session is paused, the next run resumes it.</summary>
        Paused,
        /// <summary>The board refused the image (see the result): nothing is staged, the slot is erased.</summary>
        Refused,
    }

    /// <summary>
    /// An app's whole update through nanoFramework.Runtime.InFieldUpdate's official API, as it runs
    /// on an ESP32 with nf-ota's firmware (flash encryption and secure boot on): confirm a new image
    /// once it proved itself, then fetch the next one into an update session, resuming what an
    /// earlier run left in the slot, and complete it (the board checks its SHA-256, its signature
    /// against the firmware's built-in key and its dependencies). Only mscorlib and the IFU library:
    /// the transport is the caller's (HTTP with Range on a board).
    /// </summary>
    public static class IfuUpdate
    {
        public static IfuOutcome Run(ImageType image, System.Version offered, int totalLength, ReadAt read, byte[] chunk, out UpdateSessionResult result)
        {
            result = UpdateSessionResult.Success;
            // A new pair runs for the first time: the app's own health checks come first in a real app.
            var status = UpdateManager.GetStatus(image);
            if (status == UpdateStatus.Testing)
            {
                UpdateManager.ConfirmDeploymentImage();
                return IfuOutcome.Confirmed;
            }
            // Staged by an earlier run: it waits for the reboot.
            if (status == UpdateStatus.TestPending)
            {
                return IfuOutcome.Staged;
            }
            var running = UpdateManager.GetPrimaryImageInfo(image);
            if (running != null && running.Version != null && !Newer(offered, running.Version))
            {
                return IfuOutcome.UpToDate;
            }
            var header = new byte[32];
            if (read(0, header) != header.Length)
            {
                return IfuOutcome.Paused;
            }
            // The slot's header must be this image's: after a swap it holds another, perfectly valid one.
            UpdateSession session;
            result = UpdateManager.ResumeUpdateSession(image, totalLength, header, out session);
            if (result != UpdateSessionResult.Success)
            {
                result = UpdateManager.StartUpdateSession(image, totalLength, out session);
                if (result != UpdateSessionResult.Success)
                {
                    return IfuOutcome.Refused;
                }
            }
            while (!session.IsComplete)
            {
                int wanted = totalLength - session.NextOffset < chunk.Length ? totalLength - session.NextOffset : chunk.Length;
                var piece = wanted == chunk.Length ? chunk : new byte[wanted];
                int got = read(session.NextOffset, piece);
                if (got <= 0)
                {
                    UpdateManager.AbortUpdateSession(session, false);
                    return IfuOutcome.Paused;
                }
                result = UpdateManager.StoreImageChunk(session, piece, 0, got);
                if (result != UpdateSessionResult.Success)
                {
                    UpdateManager.AbortUpdateSession(session, true);
                    return IfuOutcome.Refused;
                }
            }
            result = UpdateManager.CompleteUpdateSession(session);
            if (result != UpdateSessionResult.Success)
            {
                // Complete closed the session; what was written goes, so no later run resumes it.
                UpdateManager.EraseSecondaryImage(image);
                return IfuOutcome.Refused;
            }
            return IfuOutcome.Staged;
        }

        private static bool Newer(System.Version a, System.Version b)
        {
            if (a.Major != b.Major) return a.Major > b.Major;
            if (a.Minor != b.Minor) return a.Minor > b.Minor;
            if (a.Build != b.Build) return a.Build > b.Build;
            return a.Revision > b.Revision;
        }
    }
}
