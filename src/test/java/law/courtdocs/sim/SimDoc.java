package law.courtdocs.sim;

/** One document a simulated portal serves. */
public record SimDoc(String title, String format, byte[] bytes) {}
