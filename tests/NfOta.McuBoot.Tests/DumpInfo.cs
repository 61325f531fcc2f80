namespace NfOta.McuBoot.Tests;

/// <summary>
/// What <c>imgtool dumpinfo -s -o</c> wrote for an image: the header fields as printed, and each
/// TLV area's info and TLVs. Reads only the shape imgtool 2.3.0 writes (see the .yaml files).
/// </summary>
public sealed record DumpInfo(IReadOnlyDictionary<string, string> Header, DumpInfo.Area? Protected, DumpInfo.Area Unprotected)
{
    public sealed record Tlv(int Type, int Length, byte[] Data);

    public sealed record Area(int Magic, int Total, IReadOnlyList<Tlv> Tlvs);

    public static DumpInfo Parse(IEnumerable<string> lines)
    {
        var reader = new Reader();
        foreach (var line in lines) reader.Read(line);
        return reader.Result();
    }

    private sealed class Reader
    {
        private readonly Dictionary<string, string> _header = [];
        private readonly Dictionary<string, Dictionary<string, int>> _infos = [];
        private readonly Dictionary<string, List<(int Type, int Length, string Base64)>> _lists = [];
        private string _section = "";
        private bool _inData;

        public void Read(string line)
        {
            if (_inData && line.StartsWith("      ", StringComparison.Ordinal))
            {
                AppendData(line.Trim());
                return;
            }
            _inData = false;
            if (!line.StartsWith(' ')) _section = line.TrimEnd(':', ' ');
            else if (_section == "header") AddField(_header, line);
            else if (_section == "tlv_area") ReadTlvArea(line);
        }

        private void ReadTlvArea(string line)
        {
            var text = line.Trim();
            if (line.StartsWith("  ") && !line.StartsWith("   ") && !text.StartsWith('-'))
            {
                _area = text.Split(':')[0];
                if (_area.StartsWith("tlvs", StringComparison.Ordinal)) _lists[_area] = [];
                else if (!text.EndsWith("{}", StringComparison.Ordinal)) _infos[_area] = [];
                return;
            }
            if (text.StartsWith("- type:", StringComparison.Ordinal)) _lists[_area].Add((int.Parse(text[7..]), 0, ""));
            else if (text.StartsWith("len:", StringComparison.Ordinal)) Update(t => t with { Length = int.Parse(text[4..]) });
            else if (text.StartsWith("data:", StringComparison.Ordinal)) _inData = true;
            else if (_infos.TryGetValue(_area, out var info)) info[text.Split(':')[0]] = int.Parse(text.Split(':')[1]);
        }

        private string _area = "";

        private void AppendData(string base64) => Update(t => t with { Base64 = t.Base64 + base64 });

        private void Update(Func<(int Type, int Length, string Base64), (int Type, int Length, string Base64)> change)
        {
            var list = _lists[_area];
            list[^1] = change(list[^1]);
        }

        private static void AddField(Dictionary<string, string> fields, string line)
        {
            var colon = line.IndexOf(':');
            fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        public DumpInfo Result() => new(_header, AreaOf("tlv_hdr_prot", "tlvs_prot"), AreaOf("tlv_hdr", "tlvs")!);

        private Area? AreaOf(string info, string list) =>
            _infos.TryGetValue(info, out var fields)
                ? new Area(fields["magic"], fields["tlv_tot"], _lists[list].Select(t => new Tlv(t.Type, t.Length, Convert.FromBase64String(t.Base64))).ToList())
                : null;
    }
}
