using System;
using System.Collections;
using System.Threading;
using NfOta.Device;
using NfOta.Interop;
using NfOta.Model;

namespace NfOta.Rollback
{
    /// <summary>
    /// Runs at start-up. When the bootloader started this firmware for the first time after an update
    /// (otadata state PENDING_VERIFY), it runs the app's health checks within a time budget, then keeps
    /// the firmware (mark valid) or rejects it (mark invalid: the board restarts into the previous one).
    /// If the app never calls it, the bootloader rolls back at the next reset anyway.
    /// </summary>
    public sealed class RollbackGuard
    {
        private readonly ArrayList _checks = new ArrayList();

        public RollbackGuard()
        {
            BudgetMilliseconds = 60000;
        }

        /// <summary>Time for all checks together (default 60 s); a check still running then counts as failed.</summary>
        public int BudgetMilliseconds { get; set; }

        /// <summary>
        /// Called with the failed result to reject the firmware; the default calls
        /// NativeOta.MarkInvalidAndRollback, which restarts the board into the previous firmware.
        /// </summary>
        public RollBackHandler RollBack { get; set; }

        /// <summary>Add a check; they run in the order added, each only if the previous ones passed.</summary>
        public RollbackGuard Add(IHealthCheck check)
        {
            if (check == null)
            {
                throw new ArgumentNullException("check");
            }
            _checks.Add(check);
            return this;
        }

        public GuardResult Run()
        {
            var record = new byte[NativeOtaStatus.SlotRecordLength];
            NativeFailure.Check(NativeOta.GetSlotInfo(NativeOtaStatus.SlotRunning, record), "finding the running slot");
            var result = new GuardResult { Slot = SlotInfo.FromRecord(record).Label };
            int state = NativeOta.GetSlotState("");
            result.StateBefore = state;

            if (state == NativeOtaStatus.StateValid)
            {
                result.Outcome = GuardOutcome.NothingToVerify;
                result.Message = "the running firmware is already confirmed";
                return result;
            }
            if (state != NativeOtaStatus.StatePendingVerify)
            {
                result.Outcome = GuardOutcome.RollbackNotEnabled;
                result.Message = DescribeUntracked(state);
                return result;
            }

            string failure = RunChecks(result);
            if (failure == null)
            {
                NativeFailure.Check(NativeOta.MarkValid(), "confirming the running firmware");
                result.Outcome = GuardOutcome.Confirmed;
                result.Message = "all " + _checks.Count.ToString() + " health checks passed; the firmware is confirmed";
                return result;
            }

            result.Outcome = GuardOutcome.RolledBack;
            result.Message = failure;
            var rollBack = RollBack;
            if (rollBack != null)
            {
                rollBack(result);
                return result;
            }
            // Restarts into the previous firmware on success; returns only when that is impossible.
            int status = NativeOta.MarkInvalidAndRollback();
            throw NativeFailure.From(status < 0 ? status : NativeOtaStatus.RollbackFailed, "rolling back after: " + failure);
        }

        /// <summary>Runs the checks on a worker thread so a hung check cannot outlast the budget. Returns null when all passed.</summary>
        private string RunChecks(GuardResult result)
        {
            var runner = new CheckRunner(_checks);
            var thread = new Thread(runner.Run);
#if !NANOFRAMEWORK_1_0
            thread.IsBackground = true; // a hung check must not keep a test process alive
#endif
            thread.Start();
            if (!thread.Join(BudgetMilliseconds))
            {
                result.FailedCheck = runner.Current;
                return "health check \"" + runner.Current + "\" did not finish within " + BudgetMilliseconds.ToString() + " ms";
            }
            result.FailedCheck = runner.FailedCheck;
            return runner.Failure;
        }

        private static string DescribeUntracked(int state)
        {
            if (state == NativeOtaStatus.StateUndefined)
            {
                return "the running firmware's state is UNDEFINED: its bootloader was built without CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE, so a bad update cannot be rolled back";
            }
            if (state == NativeOtaStatus.NotSupported || state == NativeOtaStatus.NotFound)
            {
                return "the firmware runs from a slot otadata does not track (factory): there is nothing to confirm or roll back";
            }
            return "the running firmware's state is " + state.ToString() + " (not PENDING_VERIFY): nothing to confirm";
        }

        /// <summary>The checks' run on the worker thread; written by it, read after Join.</summary>
        private sealed class CheckRunner
        {
            private readonly ArrayList _checks;

            public CheckRunner(ArrayList checks)
            {
                _checks = checks;
            }

            private readonly object _gate = new object();
            private string _current;

            /// <summary>The check running now (read by the guard's thread when the budget runs out).</summary>
            public string Current
            {
                get { lock (_gate) { return _current; } }
                private set { lock (_gate) { _current = value; } }
            }

            public string FailedCheck;
            public string Failure;

            public void Run()
            {
                for (int i = 0; i < _checks.Count; i++)
                {
                    var check = (IHealthCheck)_checks[i];
                    Current = check.Name;
                    bool passed;
                    string reason;
                    try
                    {
                        passed = check.Check();
                        reason = "returned false";
                    }
                    catch (Exception e)
                    {
                        passed = false;
                        reason = "threw " + e.GetType().Name + ": " + e.Message;
                    }
                    if (!passed)
                    {
                        FailedCheck = check.Name;
                        Failure = "health check \"" + check.Name + "\" " + reason;
                        return;
                    }
                }
            }
        }
    }

}
