package law.courtdocs.job;

/** A status change the state machine forbids; a bug or a lost race, never user input. */
public class IllegalTransitionException extends IllegalStateException {

    public IllegalTransitionException(Object jobId, JobStatus from, JobStatus to) {
        super("job " + jobId + ": " + from + " → " + to + " is not allowed");
    }
}
