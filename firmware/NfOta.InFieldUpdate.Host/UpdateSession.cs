using NfOta.InFieldUpdate.Host;

namespace nanoFramework.Runtime.InFieldUpdate;

/// <summary>
/// An update session of one image, made by <see cref="UpdateManager.StartUpdateSession"/> or
/// <see cref="UpdateManager.ResumeUpdateSession"/>; the natives refresh it after every call.
/// </summary>
public sealed class UpdateSession
{
    internal IfuSession Native;

    internal UpdateSession(IfuSession native)
    {
        Refresh(native);
    }

    public ImageType Image { get; private set; }

    /// <summary>Keeps writers apart; not a secret.</summary>
    public uint Token { get; private set; }

    public int TotalLength { get; private set; }

    public int NextOffset { get; private set; }

    public bool IsResumed { get; private set; }

    /// <summary>The image's version, null until its header was stored.</summary>
    public Version? Version { get; private set; }

    public int HeaderSize { get; private set; }

    public int ImageSize { get; private set; }

    public bool IsComplete => NextOffset >= TotalLength;

    /// <summary>Store all of <paramref name="data"/> at <see cref="NextOffset"/>.</summary>
    public UpdateSessionResult Write(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return UpdateManager.StoreImageChunk(this, data, 0, data.Length);
    }

    internal void Refresh(IfuSession native)
    {
        Native = native;
        Image = (ImageType)native.Image;
        Token = native.Token;
        TotalLength = native.TotalLength;
        NextOffset = native.NextOffset;
        IsResumed = native.Resumed != 0;
        bool seen = native.HeaderSeen != 0;
        // System.Version's Build is MCUboot's revision, its Revision the build number (1.2.3+4 reads 1.2.3.4).
        Version = seen ? new Version(native.Version.Major, native.Version.Minor, native.Version.Revision, (int)native.Version.Build) : null;
        HeaderSize = seen ? native.HeaderSize : 0;
        ImageSize = seen ? native.ImageSize : 0;
    }
}
