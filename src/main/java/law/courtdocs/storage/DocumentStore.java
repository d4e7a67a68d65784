package law.courtdocs.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

/**
 * Where document bytes live. The default keeps them in PostgreSQL so API pods on other machines
 * read them with no shared disk; an S3-compatible store can implement the same three calls.
 * Implementations stream: memory use does not grow with the file size.
 */
public interface DocumentStore {

    /** Stores the bytes of a new document; joins the caller's transaction where it has one. */
    void write(UUID documentId, InputStream content) throws IOException;

    /** Copies the bytes of a stored document to {@code out}. */
    void read(UUID documentId, OutputStream out) throws IOException;
}
