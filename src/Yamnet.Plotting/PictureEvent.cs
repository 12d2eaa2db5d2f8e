namespace Yamnet.Plotting;

/// <summary>One detected event drawn on the label track: a time span and its label.</summary>
public readonly record struct PictureEvent(double StartSeconds, double EndSeconds, string Label);
