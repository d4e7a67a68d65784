package law.courtdocs.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;

/**
 * A job's trace crosses the outbox and RabbitMQ: the submit's span context travels as a W3C
 * {@code traceparent} string in the outbox row and then in the message's headers, and the worker's
 * attempt span continues it (README, "Tracing").
 */
public final class Traces {

    /** The header name of the W3C Trace Context specification. */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<String> ONE_HEADER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private Traces() {}

    /** The current span as a {@code traceparent} value, or null when there is none. */
    public static String currentTraceParent() {
        SpanContext c = Span.current().getSpanContext();
        if (!c.isValid()) {
            return null;
        }
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    /** The context a {@code traceparent} value names; the root context for null or a malformed one. */
    public static Context parent(String traceParent) {
        if (traceParent == null || traceParent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceParent, ONE_HEADER);
    }
}
