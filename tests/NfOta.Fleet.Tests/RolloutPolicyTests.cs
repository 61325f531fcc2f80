using NfOta.Fleet.Rollouts;

namespace NfOta.Fleet.Tests;

public class RolloutPolicyTests
{
    private static readonly RolloutThresholds Limits = new() { SuccessPercent = 90, MaxFailures = 5, MaxFailurePercent = 20, MinFinished = 10 };

    private static RolloutDecision Decide(RolloutCounts counts, int wave = 0, RolloutState state = RolloutState.Running) =>
        RolloutPolicy.Decide(state, wave, 4, Limits, counts);

    [Fact]
    public void A_wave_opens_the_next_once_enough_boards_confirmed()
    {
        Assert.Equal(RolloutStep.Nothing, Decide(new RolloutCounts(Offered: 10, Confirmed: 8, Failed: 0, Finished: 8)).Step);
        Assert.Equal(RolloutStep.OpenNextWave, Decide(new RolloutCounts(10, 9, 0, 9)).Step);
    }

    [Fact]
    public void A_wave_that_finished_below_the_success_condition_pauses_for_the_operator()
    {
        var decision = Decide(new RolloutCounts(Offered: 10, Confirmed: 8, Failed: 1, Finished: 10, ForgivenFailed: 1, ForgivenFinished: 1));
        Assert.Equal(RolloutStep.Pause, decision.Step);
        Assert.Contains("8 of 10 confirmed", decision.Reason);
    }

    [Fact]
    public void The_last_wave_completes_when_every_board_finished_even_below_the_success_condition()
    {
        var decision = Decide(new RolloutCounts(100, 85, 1, 100, ForgivenFailed: 1, ForgivenFinished: 1), wave: 3);
        Assert.Equal(RolloutStep.Complete, decision.Step);
        Assert.Contains("85 of 100 confirmed", decision.Reason);
    }

    [Fact]
    public void An_empty_wave_counts_as_done()
    {
        Assert.Equal(RolloutStep.OpenNextWave, Decide(new RolloutCounts(0, 0, 0, 0)).Step);
    }

    [Fact]
    public void The_last_wave_completes_only_when_no_board_is_still_working()
    {
        Assert.Equal(RolloutStep.Nothing, Decide(new RolloutCounts(100, 95, 0, 95), wave: 3).Step);
        Assert.Equal(RolloutStep.Complete, Decide(new RolloutCounts(100, 96, 4, 100), wave: 3).Step);
    }

    [Fact]
    public void N_failures_pause_whatever_else_happened()
    {
        var decision = Decide(new RolloutCounts(200, 150, 5, 155), wave: 2);
        Assert.Equal(RolloutStep.Pause, decision.Step);
        Assert.Contains("5 boards failed", decision.Reason);
        Assert.Equal(RolloutStep.OpenNextWave, Decide(new RolloutCounts(200, 190, 4, 194), wave: 2).Step);
    }

    [Fact]
    public void The_failure_percentage_waits_for_M_finished_boards()
    {
        var limits = Limits with { MaxFailures = null };
        // 2 of 3 failed: 66 %, but only 3 finished of the 10 required.
        Assert.Equal(RolloutStep.Nothing, RolloutPolicy.Decide(RolloutState.Running, 0, 4, limits, new RolloutCounts(20, 1, 2, 3)).Step);
        // 2 of 10 finished failed: 20 %, at the limit.
        Assert.Equal(RolloutStep.Pause, RolloutPolicy.Decide(RolloutState.Running, 0, 4, limits, new RolloutCounts(20, 8, 2, 10)).Step);
        Assert.Equal(RolloutStep.Nothing, RolloutPolicy.Decide(RolloutState.Running, 0, 4, limits, new RolloutCounts(20, 9, 1, 10)).Step);
    }

    [Fact]
    public void Failures_the_operator_accepted_by_resuming_do_not_pause_again()
    {
        Assert.Equal(RolloutStep.Pause, Decide(new RolloutCounts(50, 40, 5, 45)).Step);
        var resumed = new RolloutCounts(50, 45, 5, 50, ForgivenFailed: 5, ForgivenFinished: 45);
        Assert.Equal(RolloutStep.OpenNextWave, Decide(resumed).Step);
        Assert.Equal(RolloutStep.Pause, Decide(resumed with { Failed = 10, Finished = 55, Offered = 55 }).Step);
    }

    [Theory]
    [InlineData(RolloutState.Paused)]
    [InlineData(RolloutState.Aborted)]
    [InlineData(RolloutState.Completed)]
    public void Only_a_running_rollout_moves(RolloutState state)
    {
        Assert.Equal(RolloutStep.Nothing, Decide(new RolloutCounts(10, 10, 0, 10), state: state).Step);
    }
}
