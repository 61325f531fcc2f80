using NfOta.Json;

namespace NfOta.Ddi
{
    /// <summary>
    /// The body of POST .../deploymentBase/{actionId}/feedback (hawkBit's DdiActionFeedback):
    /// {"status":{"execution":...,"result":{"finished":...},"details":[...]}}. No timestamp: a
    /// board may not know the time. The values are DDI's own (DdiStatus.ExecutionStatus,
    /// DdiResult.FinalResult).
    /// </summary>
    public static class DdiFeedback
    {
        public const string Download = "download";
        public const string Downloaded = "downloaded";
        public const string Proceeding = "proceeding";
        public const string Closed = "closed";

        public const string Success = "success";
        public const string Failure = "failure";
        public const string None = "none";

        public static byte[] Body(string execution, string finished, string detail)
        {
            var w = new JsonWriter();
            w.BeginObject().Name("status").BeginObject()
                .Name("execution").String(execution)
                .Name("result").BeginObject().Name("finished").String(finished).EndObject();
            if (detail != null)
            {
                w.Name("details").BeginArray().String(detail).EndArray();
            }
            w.EndObject().EndObject();
            return w.ToArray();
        }
    }
}
