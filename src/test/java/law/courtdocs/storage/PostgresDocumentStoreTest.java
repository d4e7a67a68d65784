package law.courtdocs.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import law.courtdocs.e2e.Jobs;
import law.courtdocs.e2e.SimulatorResource;
import org.junit.jupiter.api.Test;

/**
 * Bytes go in 1 MiB chunks and come back as they went in; chunks are compressed with lz4 where
 * they compress at all (V10), and stored as they are where they do not.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class PostgresDocumentStoreTest {

    @Inject
    PostgresDocumentStore store;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCompressibleDocumentComesBackWholeFromLz4Chunks() throws Exception {
        byte[] text = "（2026）粤0106民初12345号 民事判决书 原告 被告 本院认为 ".repeat(60_000)
                .getBytes(StandardCharsets.UTF_8);
        UUID id = document("判决书.pdf", text.length);

        store.write(id, new ByteArrayInputStream(text));

        assertArrayEquals(text, read(id));
        List<String> methods = compression(id);
        assertEquals(text.length / PostgresDocumentStore.CHUNK + 1, methods.size(), "chunks of " + text.length);
        assertEquals(List.of("lz4"), methods.stream().distinct().toList(), "compression per chunk");
    }

    @Test
    void anIncompressibleDocumentIsStoredAsItIsAndComesBackWhole() throws Exception {
        byte[] noise = new byte[PostgresDocumentStore.CHUNK + 4_321];
        new Random(7).nextBytes(noise);
        UUID id = document("送达回证.zip", noise.length);

        store.write(id, new ByteArrayInputStream(noise));

        assertArrayEquals(noise, read(id));
        List<String> methods = compression(id);
        assertEquals(2, methods.size());
        assertEquals(Arrays.asList(null, null), methods, "not compressed");
    }

    private byte[] read(UUID id) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.read(id, out);
        return out.toByteArray();
    }

    /** A documents row on a job of its own: the chunks' foreign key wants one. */
    private UUID document(String fileName, long size) throws Exception {
        UUID job = UUID.fromString(Jobs.submit(SimulatorResource.sim().gdems().notReadyLink("存储 " + fileName)));
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("""
                        insert into documents (id, job_id, tenant, file_name, content_type, size_bytes, sha256, source_id,
                                               created_at)
                        select ?, j.id, j.tenant, ?, 'application/octet-stream', ?, repeat('0', 64), ?, now()
                        from jobs j where j.id = ?""")) {
            insert.setObject(1, id);
            insert.setString(2, fileName);
            insert.setLong(3, size);
            insert.setString(4, id.toString());
            insert.setObject(5, job);
            assertEquals(1, insert.executeUpdate(), "documents row on job " + job);
        }
        return id;
    }

    /** pg_column_compression per chunk in order: lz4, pglz, or null for a chunk stored as it is. */
    private List<String> compression(UUID id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "select pg_column_compression(data) from document_chunks where document_id = ? order by seq")) {
            select.setObject(1, id);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
