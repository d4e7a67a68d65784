package law.courtdocs.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import law.courtdocs.job.JobStatus;

/** The event catalogue (README, "Events"): the wire name is the contract, the constant is ours. */
public enum EventType {
    JOB_QUEUED("job.queued"),
    JOB_RUNNING("job.running"),
    JOB_WAITING_FOR_CAPTCHA("job.waiting_for_captcha"),
    JOB_RETRY_SCHEDULED("job.retry_scheduled"),
    JOB_SUCCEEDED("job.succeeded"),
    JOB_FAILED("job.failed"),
    JOB_CANCELLED("job.cancelled"),
    DOCUMENT_STORED("document.stored"),
    SMS_RECEIVED("sms.received");

    private static final Map<String, EventType> BY_WIRE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wire, Function.identity()));

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<EventType> ofWire(String name) {
        return Optional.ofNullable(name == null ? null : BY_WIRE.get(name));
    }

    /** The event a job's move into {@code status} writes. */
    public static EventType of(JobStatus status) {
        return switch (status) {
            case QUEUED -> JOB_QUEUED;
            case RUNNING -> JOB_RUNNING;
            case WAITING_FOR_CAPTCHA -> JOB_WAITING_FOR_CAPTCHA;
            case RETRY_SCHEDULED -> JOB_RETRY_SCHEDULED;
            case SUCCEEDED -> JOB_SUCCEEDED;
            case FAILED -> JOB_FAILED;
            case CANCELLED -> JOB_CANCELLED;
        };
    }
}
