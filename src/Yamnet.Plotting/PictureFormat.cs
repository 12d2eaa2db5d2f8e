namespace Yamnet.Plotting;

/// <summary>Image formats <see cref="SoundPictureRenderer"/> writes.</summary>
public enum PictureFormat
{
    Png,
    Svg,
}
