package law.courtdocs.storage;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Bytes in the {@code document_chunks} table, 1 MiB a row. */
@ApplicationScoped
public class PostgresDocumentStore implements DocumentStore {

    static final int CHUNK = 1024 * 1024;

    private final AgroalDataSource dataSource;

    public PostgresDocumentStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void write(UUID documentId, InputStream content) throws IOException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into document_chunks (document_id, seq, data) values (?, ?, ?)")) {
            byte[] buffer = new byte[CHUNK];
            int seq = 0;
            int n;
            while ((n = content.readNBytes(buffer, 0, CHUNK)) > 0) {
                insert.setObject(1, documentId);
                insert.setInt(2, seq++);
                insert.setBytes(3, n == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, n));
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IOException("cannot store document " + documentId, e);
        }
    }

    /**
     * One short query per chunk rather than one long cursor: no connection is held while a slow
     * client downloads.
     */
    @Override
    public void read(UUID documentId, OutputStream out) throws IOException {
        for (int seq = 0; ; seq++) {
            byte[] chunk = chunk(documentId, seq);
            if (chunk == null) {
                return;
            }
            out.write(chunk);
        }
    }

    private byte[] chunk(UUID documentId, int seq) throws IOException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "select data from document_chunks where document_id = ? and seq = ?")) {
            select.setObject(1, documentId);
            select.setInt(2, seq);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new IOException("cannot read document " + documentId, e);
        }
    }
}
