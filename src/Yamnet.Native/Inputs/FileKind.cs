namespace Yamnet.Inputs;

/// <summary>What a path names, from its mode bits (S_IFMT).</summary>
public enum FileKind
{
    Other = 0,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}
