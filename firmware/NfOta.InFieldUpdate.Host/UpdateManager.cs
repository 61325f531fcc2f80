using NfOta.InFieldUpdate.Host;

namespace nanoFramework.Runtime.InFieldUpdate;

/// <summary>
/// nanoFramework.Runtime.InFieldUpdate's UpdateManager (100.0.0.3): each member here is an
/// InternalCall on a board, bound to nf_ota's C on a PC. The argument checks are the managed
/// ones the library documents; everything else is a result from the natives.
/// </summary>
public static class UpdateManager
{
    public static UpdateStatus GetStatus(ImageType image) => (UpdateStatus)IfuNative.GetStatus((int)image);

    public static ImageInfo? GetPrimaryImageInfo(ImageType image) => Info(image, SlotId.Primary);

    public static ImageInfo? GetSecondaryImageInfo(ImageType image) => Info(image, SlotId.Secondary);

    /// <summary>Both slots of both images, in that order: a slot that holds nothing is an entry with no version and every flag false.</summary>
    public static ImageInfo[] GetImageList()
    {
        var list = new List<ImageInfo>();
        foreach (var image in new[] { ImageType.NanoClr, ImageType.Deployment })
        {
            foreach (var slot in new[] { SlotId.Primary, SlotId.Secondary })
            {
                int status = IfuNative.GetImageInfo((int)image, (int)slot, out var native);
                if (status == (int)UpdateSessionResult.Success || status == (int)UpdateSessionResult.NoImage)
                {
                    list.Add(new ImageInfo(native));
                }
            }
        }
        return list.ToArray();
    }

    public static UpdateSessionResult EraseSecondaryImage(ImageType image) => (UpdateSessionResult)IfuNative.EraseSecondary((int)image);

    public static UpdateSessionResult StartUpdateSession(ImageType image, int totalLength, out UpdateSession? session)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalLength);
        var result = (UpdateSessionResult)IfuNative.Start((int)image, totalLength, (int)UpdateSessionOwner.Managed, out var native);
        session = result == UpdateSessionResult.Success ? new UpdateSession(native) : null;
        return result;
    }

    public static UpdateSessionResult ResumeUpdateSession(ImageType image, int totalLength, byte[]? expectedHeader, out UpdateSession? session)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalLength);
        // No expected header: the slot's header is not compared (the library's documented shortcut).
        var result = (UpdateSessionResult)IfuNative.Resume((int)image, totalLength, expectedHeader ?? [], (int)UpdateSessionOwner.Managed, out var native);
        session = result == UpdateSessionResult.Success ? new UpdateSession(native) : null;
        return result;
    }

    public static UpdateSessionResult StoreImageChunk(UpdateSession session, byte[] data, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(data);
        if (offset < 0 || count < 0 || offset > data.Length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }
        var native = session.Native;
        var result = (UpdateSessionResult)IfuNative.Store(ref native, data.AsSpan(offset, count));
        session.Refresh(native);
        return result;
    }

    public static UpdateSessionResult CompleteUpdateSession(UpdateSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var native = session.Native;
        var result = (UpdateSessionResult)IfuNative.Complete(ref native);
        session.Refresh(native);
        return result;
    }

    public static UpdateSessionResult AbortUpdateSession(UpdateSession session, bool eraseSlot)
    {
        ArgumentNullException.ThrowIfNull(session);
        return (UpdateSessionResult)IfuNative.Abort(session.Native, eraseSlot);
    }

    public static UpdateSessionOwner GetUpdateSessionOwner(ImageType image) => (UpdateSessionOwner)IfuNative.GetOwner((int)image);

    public static bool ConfirmDeploymentImage() => IfuNative.ConfirmDeployment();

    public static bool RequestDeploymentRevert() => IfuNative.RequestDeploymentRevert();

    public static bool RequestClrRevert() => IfuNative.RequestClrRevert();

    public static void RequestReboot() => IfuNative.RequestReboot();

    private static ImageInfo? Info(ImageType image, SlotId slot) =>
        IfuNative.GetImageInfo((int)image, (int)slot, out var native) == (int)UpdateSessionResult.Success ? new ImageInfo(native) : null;
}
