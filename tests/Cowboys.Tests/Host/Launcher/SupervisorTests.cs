using Cowboys.Actors.Game.Results;
using Cowboys.Host.Launcher;
using Xunit;
using static Cowboys.Host.Launcher.SupervisorDecision;

namespace Cowboys.Tests.Host.Launcher;

/// <summary>`play`'s supervisor as a pure function of what it knew and what it saw, like the sandbox's JobLogic.</summary>
public sealed class SupervisorTests
{
    private static readonly string[] Roster = ["Ann", "Bob", "Cid"];
    private static readonly Dictionary<string, string> NoErrors = [];

    private static SupervisorTick Tick(double seconds, int beat = 0, string? leader = null, bool result = false, params (string Name, int Code)[] exited) =>
        new(TimeSpan.FromSeconds(seconds), result, exited.ToDictionary(e => e.Name, e => e.Code), beat, leader, NoErrors);

    private static Say Unfired(int faults) => new($"the game was decided before {faults} of the planned faults could fire (one a beat, after its beat, on a cowboy who is up)");

    private static (SupervisorState, IReadOnlyList<SupervisorDecision>) Run(SupervisorState state, SupervisorTick tick) => Supervisor.Decide(state, tick);

    [Fact]
    public void A_process_that_crashes_mid_game_is_started_again_after_a_second_and_said_so()
    {
        var state = SupervisorState.Initial(Roster, []);

        var (crashed, said) = Run(state, Tick(5, exited: ("Bob", 137)));
        Assert.Equal([new Say("Bob exited with code 137; starting him again")], said);
        Assert.Equal(TimeSpan.FromSeconds(6), crashed["Bob"].RestartAt);

        Assert.Empty(Run(crashed, Tick(5.9, exited: ("Bob", 137))).Item2);
        var (restarted, started) = Run(crashed, Tick(6, exited: ("Bob", 137)));
        Assert.Equal([new Start("Bob"), new Say("Bob started again (incarnation 2)")], started);
        Assert.Equal((true, 1, 2), (restarted["Bob"].Running, restarted["Bob"].Restarts, restarted["Bob"].Incarnation));
    }

    [Fact]
    public void Bad_input_fails_the_game_at_once_and_too_many_failures_give_it_up()
    {
        var state = SupervisorState.Initial(Roster, []);
        var errors = new Dictionary<string, string> { ["Ann"] = "error: invalid roster" };

        var (_, bad) = Run(state, Tick(1, exited: ("Ann", 2)) with { LastErrors = errors });
        Assert.Equal([new GiveUp("Ann exited with code 2: error: invalid roster; starting him again cannot help")], bad);

        var worn = state with { Cowboys = [.. state.Cowboys.Select(c => c.Name == "Bob" ? c with { Restarts = PlayOptions.RestartLimit } : c)] };
        var (_, tired) = Run(worn, Tick(1, exited: ("Bob", 1)));
        Assert.Equal([new GiveUp($"Bob failed {PlayOptions.RestartLimit + 1} times (last exit code 1); giving up the game")], tired);
    }

    [Fact]
    public void After_the_result_exits_are_not_restarted_and_the_game_is_done_once_all_have_exited()
    {
        var state = SupervisorState.Initial(Roster, []);

        var (ending, first) = Run(state, Tick(10, result: true, exited: [("Ann", 0), ("Bob", 1)]));
        Assert.Empty(first);
        Assert.Equal(TimeSpan.FromSeconds(10), ending.GameOverAt);

        var (_, done) = Run(ending, Tick(11, exited: [("Ann", 0), ("Bob", 1), ("Cid", 0)]));
        Assert.Equal([new Done()], done);
    }

    [Fact]
    public void Processes_still_running_long_after_the_end_are_stopped()
    {
        var (ended, _) = Run(SupervisorState.Initial(Roster, []), Tick(10, result: true, exited: ("Ann", 0)));

        Assert.Empty(Run(ended, Tick(30, exited: ("Ann", 0))).Item2);
        Assert.Equal([new StopStragglers()], Run(ended, Tick(30.1, exited: ("Ann", 0))).Item2);
    }

    [Fact]
    public void A_kill_for_the_leaders_host_waits_for_its_beat_then_hits_him_and_he_comes_back_half_a_second_after_he_dies()
    {
        var state = SupervisorState.Initial(Roster, [new PlannedKill(2, null)]);

        Assert.Empty(Run(state, Tick(1, beat: 1, leader: "Bob")).Item2);
        var (killed, kill) = Run(state, Tick(2, beat: 2, leader: "Bob"));
        Assert.Equal([new Kill("Bob", new Fault(2, "Bob", true, Fault.Kill), "killed Bob with SIGKILL after beat 2 (he hosts the leader)")], kill);

        var (down, silent) = Run(killed, Tick(2.1, beat: 2, leader: "Bob", exited: ("Bob", 137)));
        Assert.Empty(silent); // the kill was said already
        Assert.Equal(TimeSpan.FromSeconds(2.6), down["Bob"].RestartAt);
        Assert.Equal([new Start("Bob"), new Say("Bob started again (incarnation 2)")], Run(down, Tick(2.6, beat: 2, exited: ("Bob", 137))).Item2);
    }

    [Fact]
    public void Faults_the_game_ended_before_are_said_once_and_not_carried_out()
    {
        var state = SupervisorState.Initial(Roster, [new PlannedKill(1, "Ann"), new PlannedKill(3, "Bob", Pause: true)]);
        var (once, first) = Run(state, Tick(1, beat: 1, leader: "Cid"));
        Assert.IsType<Kill>(Assert.Single(first));

        // a cowboy shows the game decided at beat 2: the pause planned after beat 3 will never come
        var (decided, said) = Run(once, Tick(1.5, beat: 2, leader: "Cid") with { Decided = true });
        Assert.Equal([Unfired(1)], said);
        Assert.Empty(decided.Plan);
        Assert.DoesNotContain(Run(decided, Tick(2, beat: 4, leader: "Cid", result: true)).Item2, d => d is Say or Freeze or Kill);
    }

    [Fact]
    public void Faults_come_one_a_beat_and_a_victim_who_is_down_passes_it_to_the_next_one_up()
    {
        var state = SupervisorState.Initial(Roster, [new PlannedKill(1, "Ann"), new PlannedKill(1, "Ann")]);

        var (once, first) = Run(state, Tick(1, beat: 1, leader: "Cid"));
        Assert.Equal("Ann", Assert.IsType<Kill>(Assert.Single(first)).Cowboy);
        Assert.Empty(Run(once, Tick(1.2, beat: 1, leader: "Cid")).Item2);

        var (_, second) = Run(once, Tick(1.5, beat: 2, leader: "Cid"));
        Assert.Equal(new Fault(2, "Bob", false, Fault.Kill), Assert.IsType<Kill>(Assert.Single(second)).Fault);
    }

    [Fact]
    public void A_frozen_process_is_woken_after_the_pause_or_when_the_game_ends_whichever_is_first()
    {
        var state = SupervisorState.Initial(Roster, [new PlannedKill(1, null, Pause: true)]);

        var (frozen, freeze) = Run(state, Tick(3, beat: 1, leader: "Ann"));
        Assert.Equal([new Freeze("Ann", new Fault(1, "Ann", true, Fault.Pause), "froze Ann with SIGSTOP after beat 1 for 8 s (he hosts the leader)")], freeze);
        Assert.False(frozen["Ann"].IsUp);

        Assert.Empty(Run(frozen, Tick(10.9, beat: 3)).Item2);
        Assert.Equal([new Wake("Ann", 1), new Say("woke Ann with SIGCONT")], Run(frozen, Tick(11, beat: 3)).Item2);
        Assert.Equal([new Wake("Ann", 1), new Say("woke Ann with SIGCONT")], Run(frozen, Tick(4, beat: 3, result: true)).Item2);
    }

    [Fact]
    public void No_fault_is_carried_out_once_the_game_is_over()
    {
        var state = SupervisorState.Initial(Roster, [new PlannedKill(1, "Ann")]);

        Assert.Equal([Unfired(1)], Run(state, Tick(3, beat: 5, leader: "Bob", result: true)).Item2);
    }

    [Fact]
    public void No_fault_is_carried_out_once_a_cowboy_shows_the_game_decided_even_before_its_result_is_written()
    {
        var state = SupervisorState.Initial(Roster, [new PlannedKill(1, "Ann"), new PlannedKill(2, null)]);

        // the result shows the last beat: a fault due before it must not land after it
        Assert.Equal([Unfired(2)], Run(state, Tick(3, beat: 5, leader: "Bob") with { Decided = true }).Item2);
        Assert.Equal("Ann", Assert.IsType<Kill>(Assert.Single(Run(state, Tick(3, beat: 5, leader: "Bob")).Item2)).Cowboy);
    }

    private static readonly string[] Five = ["Ann", "Bob", "Cid", "Dan", "Eve"];

    [Fact]
    public void A_wave_starts_once_every_cowboy_started_before_has_joined_and_not_before()
    {
        var state = SupervisorState.Initial(Five, [], [2, 2, 1]);
        Assert.Equal([true, true, false, false, false], state.Cowboys.Select(c => c.Running));

        var (waiting, none) = Run(state, Tick(1) with { Joined = new HashSet<string> { "Ann" } });
        Assert.Empty(none);

        var (second, started) = Run(waiting, Tick(2) with { Joined = new HashSet<string> { "Ann", "Bob" } });
        Assert.Equal([new Start("Cid"), new Start("Dan"), new Say("wave 2 of 3: starting 2 more cowboys, now that the 2 started before have joined")], started);
        Assert.Equal([true, true, true, true, false], second.Cowboys.Select(c => c.Running));

        // the first wave having joined is not enough for the third: the second must have too
        Assert.Empty(Run(second, Tick(3) with { Joined = new HashSet<string> { "Ann", "Bob", "Cid" } }).Item2);
        var (third, last) = Run(second, Tick(4) with { Joined = new HashSet<string> { "Ann", "Bob", "Cid", "Dan" } });
        Assert.Equal(new Start("Eve"), last[0]);
        Assert.True(third.Waiting.IsEmpty);
    }

    [Fact]
    public void A_wave_that_never_joins_holds_the_next_back_only_until_the_join_limit_and_that_is_said()
    {
        var (state, _) = Run(SupervisorState.Initial(Five, [], [2, 3]), Tick(0));
        var limit = Waves.JoinLimit.TotalSeconds;

        Assert.Empty(Run(state, Tick(limit - 0.1) with { Joined = new HashSet<string> { "Ann" } }).Item2);
        var (_, late) = Run(state, Tick(limit) with { Joined = new HashSet<string> { "Ann" } });
        Assert.Equal([new Start("Cid"), new Start("Dan"), new Start("Eve"),
            new Say($"wave 2 of 2: starting 3 more cowboys although 1 started before have not joined within {limit:F0} s (Bob)")], late);
    }

    [Fact]
    public void Cowboys_waiting_for_their_wave_are_not_exits_to_restart_fault_victims_or_a_finished_game()
    {
        var state = SupervisorState.Initial(Five, [new PlannedKill(1, "Eve")], [2, 3]);

        // the shell reports a process never started as exited 0; nobody is done while a wave waits
        var (waiting, none) = Run(state, Tick(1, exited: [("Cid", 0), ("Dan", 0), ("Eve", 0)]));
        Assert.Empty(none);
        Assert.False(waiting["Eve"].Running);
        // the plan's victim is not started yet: the fault goes to somebody who is up, as for a victim who is down
        var kill = Assert.Single(Run(waiting, Tick(2, beat: 1, exited: [("Cid", 0), ("Dan", 0), ("Eve", 0)])).Item2.OfType<Kill>());
        Assert.Contains(kill.Cowboy, new[] { "Ann", "Bob" });

        // a game decided before the last wave started: that wave never starts, and the game is done when the started have exited
        var (over, _) = Run(waiting, Tick(3, result: true));
        Assert.True(over.Waiting.IsEmpty);
        Assert.Equal([new Done()], Run(over, Tick(4, exited: [("Ann", 0), ("Bob", 0), ("Cid", 0), ("Dan", 0), ("Eve", 0)])).Item2);
    }

    [Fact]
    public void Waves_must_cover_the_roster_exactly() =>
        Assert.Throws<ArgumentException>(() => SupervisorState.Initial(Five, [], [2, 2]));
}
