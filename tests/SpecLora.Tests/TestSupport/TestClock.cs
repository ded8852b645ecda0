using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace SpecLora.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that moves itself forward, deterministically, whenever the code under test can
/// only be waiting for time: no HTTP request of the client is in flight (counted by <see cref="Wrap"/>) except those
/// a fake server holds on purpose (<see cref="TimedWait"/>). It then jumps exactly to the earliest pending timer
/// (a poll interval, a backoff, a Retry-After, a request or overall timeout), so a test of a 30 s Retry-After or a
/// 30 min timeout takes milliseconds and never races the real clock. Timers further away than <see cref="Horizon"/>
/// are never jumped to: they would only be reached by a test that is stuck, which the xunit run then reports.
/// </summary>
public sealed class TestClock : FakeTimeProvider, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<Tracked> _timers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Task _driver;
    private int _inFlight;
    private int _timedWaits;
    private long _jumps;

    /// <summary>Starts at the current UTC time (so timestamps look plausible) and starts driving.</summary>
    public TestClock(TimeSpan? horizon = null) : base(DateTimeOffset.UtcNow)
    {
        Horizon = horizon ?? TimeSpan.FromMinutes(10);
        _driver = Task.Run(DriveAsync);
    }

    /// <summary>Timers due further ahead than this are left alone (10 min).</summary>
    public TimeSpan Horizon { get; }

    /// <summary>How many times the clock jumped to a timer.</summary>
    public long Jumps => Interlocked.Read(ref _jumps);

    /// <summary>Fake time elapsed since <paramref name="start"/>.</summary>
    public TimeSpan Since(DateTimeOffset start) => GetUtcNow() - start;

    /// <summary>Wraps a client's handler so the clock knows when a request is in flight.</summary>
    public HttpMessageHandler Wrap(HttpMessageHandler inner) => new InFlightHandler(this, inner);

    /// <summary>Marks a deliberate wait of a fake server (a hang, a <c>Prefer: wait</c> hold) until disposed: the clock may move meanwhile.</summary>
    public IDisposable TimedWait()
    {
        Interlocked.Increment(ref _timedWaits);
        Signal();
        return new Release(() =>
        {
            Interlocked.Decrement(ref _timedWaits);
            Signal();
        });
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new Tracked(this);
        tracked.Set(dueTime, period);
        tracked.Inner = base.CreateTimer(s =>
        {
            tracked.Fired();
            callback(s);
        }, state, dueTime, period);
        Signal();
        return tracked;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _driver; } catch (OperationCanceledException) { }
        _stop.Dispose();
        _signal.Dispose();
    }

    /// <summary>Wakes the driver: a timer, a request or a deliberate wait changed.</summary>
    private void Signal()
    {
        try { if (_signal.CurrentCount == 0) _signal.Release(); }
        catch (ObjectDisposedException) { }
    }

    private bool Idle => Volatile.Read(ref _inFlight) <= Volatile.Read(ref _timedWaits);

    private Tracked? Earliest()
    {
        lock (_gate)
        {
            Tracked? best = null;
            foreach (var t in _timers)
                if (best == null || t.Due < best.Due) best = t;
            return best;
        }
    }

    private async Task DriveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            // Jump only when the same timer is still the earliest, with the client still idle, after the driver has
            // let every other runnable piece of work go first: a timer created just before a request enters the
            // handler is then not mistaken for a wait.
            if (Idle && Earliest() is { } next && next.Due - GetUtcNow() <= Horizon)
            {
                await Task.Delay(1).ConfigureAwait(false);
                if (Idle && Earliest() == next)
                {
                    var delta = next.Due - GetUtcNow();
                    Advance(delta > TimeSpan.Zero ? delta : TimeSpan.Zero);
                    Interlocked.Increment(ref _jumps);
                    continue;
                }
            }
            try { await _signal.WaitAsync(TimeSpan.FromMilliseconds(10), _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private sealed class Tracked(TestClock clock) : ITimer
    {
        public ITimer Inner = null!;
        public DateTimeOffset Due;
        private TimeSpan _period;

        public void Set(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan) return;
                Due = clock.GetUtcNow() + dueTime;
                clock._timers.Add(this);
            }
        }

        public void Fired()
        {
            lock (clock._gate)
            {
                if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan) Due += _period;
                else clock._timers.Remove(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Set(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (clock._gate) clock._timers.Remove(this);
            Inner.Dispose();
            clock.Signal();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class InFlightHandler(TestClock clock, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref clock._inFlight);
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                // the body is part of the request: read it before the clock may move (a timeout could cut it otherwise)
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                return response;
            }
            finally
            {
                Interlocked.Decrement(ref clock._inFlight);
                clock.Signal();
            }
        }
    }

    private sealed class Release(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) release();
        }
    }
}
