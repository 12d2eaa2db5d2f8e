namespace Yamnet.Classification;

/// <summary>One class and its score.</summary>
public readonly record struct ScoredClass(int Index, float Score);

/// <summary>Top-k selection without allocation: ranks by score descending, ties by lower index.</summary>
public static class TopK
{
    /// <summary>
    /// Writes the best <c>destination.Length</c> classes whose score is at least
    /// <paramref name="threshold"/> and which <paramref name="filter"/> admits into
    /// <paramref name="destination"/>, best first; returns how many were written.
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, Span<ScoredClass> destination, float threshold = 0f, ClassFilter? filter = null)
    {
        int k = destination.Length, count = 0;
        if (k == 0) return 0;
        for (int i = 0; i < scores.Length; i++)
        {
            float s = scores[i];
            if (!(s >= threshold)) continue;
            // Indices arrive in ascending order, so an equal score never displaces an earlier class.
            if (count == k && s <= destination[k - 1].Score) continue;
            if (filter is not null && !filter.Admits(i)) continue;
            int pos = count < k ? count++ : k - 1;
            while (pos > 0 && destination[pos - 1].Score < s)
            {
                destination[pos] = destination[pos - 1];
                pos--;
            }
            destination[pos] = new ScoredClass(i, s);
        }
        return count;
    }
}
