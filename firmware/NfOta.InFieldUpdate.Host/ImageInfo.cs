using NfOta.InFieldUpdate.Host;

namespace nanoFramework.Runtime.InFieldUpdate;

/// <summary>One image in one slot, as the natives describe it.</summary>
public sealed class ImageInfo
{
    internal unsafe ImageInfo(IfuImageInfo native)
    {
        Image = (ImageType)native.Image;
        Slot = (SlotId)native.Slot;
        Version = native.HasVersion != 0 ? new Version(native.Version.Major, native.Version.Minor, native.Version.Revision, (int)native.Version.Build) : null;
        if (native.HasHash != 0)
        {
            ImageHash = new byte[32];
            for (int i = 0; i < 32; i++)
            {
                ImageHash[i] = native.Hash[i];
            }
        }
        HasValidHeader = native.HasValidHeader != 0;
        IsActive = native.IsActive != 0;
        IsConfirmed = native.IsConfirmed != 0;
        IsPending = native.IsPending != 0;
        IsBootable = native.IsBootable != 0;
        IsRollbackPending = native.IsRollbackPending != 0;
    }

    public ImageType Image { get; }

    public SlotId Slot { get; }

    public Version? Version { get; }

    public byte[]? ImageHash { get; }

    public bool HasValidHeader { get; }

    public bool IsActive { get; }

    public bool IsConfirmed { get; }

    public bool IsPending { get; }

    public bool IsBootable { get; }

    public bool IsRollbackPending { get; }

    public override string ToString() => $"{Image} {Slot}: v{Version?.ToString() ?? "-"}";
}
