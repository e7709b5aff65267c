namespace EnergyMonitor.Core.Ports;

/// <summary>
/// What this instance holds now (<see cref="IWorkLeases"/>): written by the renewal loop, watched by the pollers and
/// the alert dispatcher, which start and stop their work as it changes. One instance alone holds all of it, always.
/// </summary>
public sealed class HeldWork
{
    private readonly Lock _gate = new();
    private IReadOnlySet<string> _items;
    private TaskCompletionSource _changed = NewSignal();

    public HeldWork(IEnumerable<string> items, bool leased)
    {
        _items = items.ToHashSet(StringComparer.Ordinal);
        Leased = leased;
    }

    /// <summary>True when the work is shared through leases; false for an instance that is alone by configuration.</summary>
    public bool Leased { get; }

    public IReadOnlySet<string> Items
    {
        get
        {
            lock (_gate)
            {
                return _items;
            }
        }
    }

    /// <summary>When the last renewal round succeeded; null before the first, or for an instance alone.</summary>
    public DateTimeOffset? LastRenewed { get; private set; }

    public bool Holds(string work) => Items.Contains(work);

    /// <summary>Records a renewal round's outcome; the watchers wake only if it changed what is held.</summary>
    public void Set(IReadOnlySet<string> items, DateTimeOffset renewedAt)
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            LastRenewed = renewedAt;
            if (!items.SetEquals(_items))
            {
                _items = items.ToHashSet(StringComparer.Ordinal);
                wake = _changed;
                _changed = NewSignal();
            }
        }

        wake?.TrySetResult();
    }

    /// <summary>
    /// What is held now, and a task that completes at the next change: taken together, so that a change between
    /// reading one and awaiting the other is never missed.
    /// </summary>
    public (IReadOnlySet<string> Items, Task Changed) Watch()
    {
        lock (_gate)
        {
            return (_items, _changed.Task);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
