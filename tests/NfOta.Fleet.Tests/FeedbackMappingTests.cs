using NfOta.Fleet.Rollouts;

namespace NfOta.Fleet.Tests;

public class FeedbackMappingTests
{
    [Theory]
    [InlineData("download", "none", "", ActionState.Downloading)]
    [InlineData("downloaded", "none", "", ActionState.Downloaded)]
    [InlineData("proceeding", "none", "", ActionState.Installing)]
    [InlineData("proceeding", "none", "rebooted-pending", ActionState.RebootedPending)]
    [InlineData("resumed", "none", "", ActionState.Installing)]
    [InlineData("scheduled", "none", "", ActionState.Installing)]
    [InlineData("rejected", "none", "", ActionState.Rejected)]
    [InlineData("closed", "success", "", ActionState.Confirmed)]
    [InlineData("closed", "none", "", ActionState.Confirmed)]
    [InlineData("closed", "failure", "rolled-back", ActionState.RolledBack)]
    [InlineData("closed", "failure", "refused", ActionState.Refused)]
    [InlineData("closed", "failure", "", ActionState.Failed)]
    [InlineData("canceled", "none", "", ActionState.Canceled)]
    public void DDI_execution_and_result_map_to_board_states(string execution, string finished, string detail, ActionState expected)
    {
        var details = detail.Length == 0 ? Array.Empty<string>() : [detail];
        Assert.Equal(expected, FeedbackMapping.Map(execution, finished, details, null)!.State);
    }

    [Theory]
    [InlineData("CLOSED", "success")]
    [InlineData("closed", "ok")]
    [InlineData("installing", "none")]
    [InlineData("download", "")]
    public void Values_that_are_not_DDI_are_refused(string execution, string finished)
    {
        Assert.Null(FeedbackMapping.Map(execution, finished, [], null));
    }

    [Theory]
    [InlineData(new[] { "refused", "error=downgrade-refused" }, "downgrade-refused")]
    [InlineData(new[] { "rolled-back", "error: health-check-failed" }, "health-check-failed")]
    [InlineData(new[] { "refused", "hash-mismatch" }, "hash-mismatch")]
    [InlineData(new[] { "Signature did not verify" }, null)]
    public void The_engine_error_code_is_read_from_details(string[] details, string? expected)
    {
        Assert.Equal(expected, FeedbackMapping.Map("closed", "failure", details, null)!.ErrorCode);
    }

    [Fact]
    public void The_numeric_status_code_is_kept_when_details_name_no_code()
    {
        Assert.Equal("17", FeedbackMapping.Map("closed", "failure", ["Something broke"], 17)!.ErrorCode);
    }
}

public class FeedbackOrderTests
{
    [Theory]
    [InlineData(ActionState.Retrieved, ActionState.Downloading, FeedbackVerdict.Advance)]
    [InlineData(ActionState.Downloading, ActionState.Downloading, FeedbackVerdict.Repeat)]
    [InlineData(ActionState.Installing, ActionState.Downloading, FeedbackVerdict.OutOfOrder)]
    [InlineData(ActionState.RebootedPending, ActionState.Installing, FeedbackVerdict.OutOfOrder)]
    [InlineData(ActionState.Pending, ActionState.Confirmed, FeedbackVerdict.Advance)]
    [InlineData(ActionState.Installing, ActionState.Rejected, FeedbackVerdict.Advance)]
    [InlineData(ActionState.Rejected, ActionState.Downloading, FeedbackVerdict.Advance)]
    [InlineData(ActionState.Confirmed, ActionState.Confirmed, FeedbackVerdict.Gone)]
    [InlineData(ActionState.RolledBack, ActionState.Downloading, FeedbackVerdict.Gone)]
    [InlineData(ActionState.TimedOut, ActionState.Confirmed, FeedbackVerdict.Gone)]
    public void Feedback_never_moves_an_action_back_or_reopens_it(ActionState current, ActionState next, FeedbackVerdict expected)
    {
        Assert.Equal(expected, FeedbackOrder.Judge(current, next));
    }
}
