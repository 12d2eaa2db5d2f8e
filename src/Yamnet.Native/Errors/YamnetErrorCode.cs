namespace Yamnet;

/// <summary>
/// What went wrong, as a number that stays the same across releases (log it, switch on it, map it to
/// an exit code). Values are grouped by hundreds: 1xx model, 2xx audio, 3xx device, 4xx native runtime.
/// New codes may be added; existing values never change meaning.
/// </summary>
public enum YamnetErrorCode
{
    /// <summary>Not classified further.</summary>
    Unknown = 0,

    /// <summary>The bytes are not a model this library can run safely (not a TFLite flatbuffer, inconsistent, too large).</summary>
    InvalidModel = 100,

    /// <summary>The model file does not have the SHA-256 the caller required.</summary>
    ModelChecksumMismatch = 101,

    /// <summary>A valid model that is not a mono float32 audio classifier (inputs, outputs, types, channels).</summary>
    UnsupportedModel = 102,

    /// <summary>A label file (class map CSV) is malformed or does not match the model's classes.</summary>
    InvalidLabels = 103,

    /// <summary>A TFLite call (interpreter creation, tensor allocation, resize, invoke) failed.</summary>
    TfLiteCallFailed = 110,

    /// <summary>The XNNPACK delegate could not be created or applied.</summary>
    DelegateFailed = 111,

    /// <summary>The input is not a recognised audio file (or stream).</summary>
    UnrecognisedAudio = 200,

    /// <summary>Recognised audio in an encoding or with parameters this build does not decode.</summary>
    UnsupportedAudio = 201,

    /// <summary>The audio ended early, or the file or stream failed while being read.</summary>
    TruncatedAudio = 202,

    /// <summary>The audio could not be read (an operating-system error reported by libsndfile).</summary>
    AudioReadFailed = 203,

    /// <summary>Recognised audio that is malformed (a header or frame libsndfile rejects).</summary>
    InvalidAudio = 204,

    /// <summary>No such capture device.</summary>
    DeviceNotFound = 300,

    /// <summary>The capture device is in use by another program.</summary>
    DeviceBusy = 301,

    /// <summary>No permission to open the capture device.</summary>
    DeviceAccessDenied = 302,

    /// <summary>The capture device failed, vanished, or cannot capture in any usable format.</summary>
    DeviceFailed = 303,

    /// <summary>A native library (TFLite, libsndfile, libsoxr, libasound) was not found anywhere it was looked for.</summary>
    NativeLibraryNotFound = 400,

    /// <summary>A native library file was found but could not be loaded (wrong architecture, not a shared object, a missing dependency).</summary>
    NativeLibraryLoadFailed = 401,

    /// <summary>The native library configuration is wrong: a configured path does not exist, or it was changed after the library was loaded.</summary>
    NativeLibraryMisconfigured = 402,

    /// <summary>A native library loaded but is a version this build does not support (TFLite other than 2.9.x or 2.19.x: its XNNPACK ABI is unknown).</summary>
    NativeLibraryUnsupportedVersion = 403,

    /// <summary>A native call failed in a way that is not about the input (e.g. libsoxr refusing to resample).</summary>
    NativeCallFailed = 410,
}
