package law.courtdocs.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import law.courtdocs.egress.EgressGuard;
import law.courtdocs.egress.OutboundHttp;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.portal.DownloadedFile;
import law.courtdocs.portal.PortalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A document is stored beside the adapter's next download, one at a time, and nothing about
 * failures, order or the work directory's lifetime changes for it. No browser, no database.
 */
class WorkerSessionStoringTest {

    final ExecutorService threads = Executors.newCachedThreadPool();
    /** File names and contents in the order storage read them. */
    final List<String> stored = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    WorkerSession session(WorkerSession.Storage storage, long maxJobBytes) throws IOException {
        return new WorkerSession(UUID.randomUUID(), URI.create("https://zxfw.court.gov.cn/x"), () -> {
            throw new AssertionError("no browser here");
        }, OutboundHttp.client(Optional.empty(), Duration.ofSeconds(1)),
                EgressGuard.of(List.of("zxfw.court.gov.cn"), false), Optional.empty(), storage, threads, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Instant.now().plusSeconds(60), () -> false, maxJobBytes, null);
    }

    static DownloadedFile file(WorkerSession session, String name, String content) throws IOException {
        Path p = session.workDir().resolve(name + ".download");
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return new DownloadedFile(p, name, name, null, name);
    }

    void record(DownloadedFile d) throws IOException {
        stored.add(d.fileName() + "=" + Files.readString(d.file(), StandardCharsets.UTF_8));
    }

    @Test
    void theNextDownloadRunsWhileTheLastDocumentIsStored() throws Exception {
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        try (WorkerSession session = session((job, d) -> {
            if (d.fileName().equals("民事判决书")) {
                firstStarted.countDown();
                await(firstMayFinish);
            }
            record(d);
        }, Long.MAX_VALUE)) {
            session.accept(file(session, "民事判决书", "一"));
            // accept returned while the first document is still being stored: the adapter goes on
            assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
            DownloadedFile second = file(session, "传票", "二");
            assertEquals(List.of(), stored);
            firstMayFinish.countDown();
            session.accept(second);
            session.awaitStoring();
            assertEquals(List.of("民事判决书=一", "传票=二"), stored);
            assertEquals(2, session.accepted());
        }
    }

    @Test
    void aDocumentThatCannotBeStoredStopsTheOneAfterIt() throws Exception {
        PortalException refused = new PortalException(ErrorCode.UNSAFE_CONTENT, "not a PDF: 传票.exe");
        try (WorkerSession session = session((job, d) -> {
            if (d.fileName().equals("传票.exe")) {
                throw refused;
            }
            record(d);
        }, Long.MAX_VALUE)) {
            session.accept(file(session, "传票.exe", "MZ"));
            DownloadedFile next = file(session, "判决书", "三");
            PortalException thrown = assertThrows(PortalException.class, () -> session.accept(next));
            assertSame(refused, thrown);
            assertEquals(List.of(), stored);
            assertEquals(0, session.accepted());
        }
    }

    @Test
    void theLastDocumentsFailureReachesTheWorkerAfterTheAdapterReturns() throws Exception {
        try (WorkerSession session = session((job, d) -> {
            throw new IOException("disk full");
        }, Long.MAX_VALUE)) {
            session.accept(file(session, "判决书", "四"));
            PortalException thrown = assertThrows(PortalException.class, session::awaitStoring);
            assertEquals(ErrorCode.INTERNAL, thrown.code());
            assertTrue(thrown.getMessage().contains("判决书"), thrown.getMessage());
            assertEquals(0, session.accepted());
        }
    }

    @Test
    void closingWaitsForTheDocumentBeingStoredBeforeItDeletesTheWorkDirectory() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Path workDir;
        WorkerSession session = session((job, d) -> {
            started.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            record(d);
        }, Long.MAX_VALUE);
        workDir = session.workDir();
        session.accept(file(session, "举证通知书", "五"));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        // the adapter failed here, say: the worker closes the session without awaitStoring
        session.close();
        assertEquals(List.of("举证通知书=五"), stored);
        assertFalse(Files.exists(workDir));
    }

    @Test
    void theJobsByteCapIsCheckedBeforeADocumentIsHandedOver() throws Exception {
        try (WorkerSession session = session((job, d) -> record(d), 5)) {
            session.accept(file(session, "a", "123"));
            DownloadedFile tooMuch = file(session, "b", "456");
            PortalException thrown = assertThrows(PortalException.class, () -> session.accept(tooMuch));
            assertEquals(ErrorCode.UNSAFE_CONTENT, thrown.code());
            session.awaitStoring();
            assertEquals(List.of("a=123"), stored);
        }
    }

    static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new IOException("test latch not released");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }
}
