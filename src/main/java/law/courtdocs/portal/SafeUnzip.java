package law.courtdocs.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import law.courtdocs.job.ErrorCode;

/**
 * Extracts an archive that came from a portal, i.e. from a stranger: it may try to write outside
 * the target (zip-slip), may expand to far more than it claims (zip bomb), or may carry names in
 * GB18030 because it was packed by a Windows tool on a Chinese system.
 *
 * <p>Either every file entry is extracted, or a {@link PortalException} with
 * {@link ErrorCode#UNSAFE_CONTENT} is thrown and whatever this call created has been removed.
 */
public final class SafeUnzip {

    /**
     * @param maxEntries    most entries in the archive, directories included
     * @param maxTotalBytes most bytes written for all entries together
     * @param maxEntryBytes most bytes written for one entry
     */
    public record Limits(int maxEntries, long maxTotalBytes, long maxEntryBytes) {
        public Limits {
            if (maxEntries < 1 || maxTotalBytes < 1 || maxEntryBytes < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    /**
     * @param file      where the entry was written, inside the target directory
     * @param entryName the entry's path relative to the target, {@code /}-separated, normalised
     */
    public record Extracted(Path file, String entryName) {}

    /** GBK is a subset, so this also reads archives from older Windows tools. */
    static final Charset GB18030 = Charset.forName("GB18030");

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final int BUFFER = 64 * 1024;

    private SafeUnzip() {}

    /**
     * Extracts every file entry of {@code zip} below {@code target}, creating it if needed.
     * Directory entries are skipped (folders are created as files need them).
     *
     * @throws PortalException {@code UNSAFE_CONTENT} when a path, count or size rule is broken
     * @throws ZipException    the archive cannot be read at all (truncated, not a ZIP)
     * @throws IOException     local disk trouble
     */
    public static List<Extracted> extract(Path zip, Path target, Limits limits) throws PortalException, IOException {
        Path root = target.toAbsolutePath().normalize();
        Deque<Path> created = new ArrayDeque<>();
        boolean done = false;
        try (ZipFile archive = open(zip)) {
            if (Files.exists(root)) {
                try (var existing = Files.list(root)) {
                    // Cleaning up after a violation must only remove what this call wrote.
                    if (existing.findAny().isPresent()) {
                        throw new IOException("extraction target is not empty");
                    }
                }
            } else {
                createDirectories(root, created);
            }
            // The central directory's count is cheap to check before touching the disk.
            if (archive.size() > limits.maxEntries()) {
                throw unsafe("archive has " + archive.size() + " entries, limit " + limits.maxEntries());
            }
            List<Extracted> result = extractAll(archive, root, limits, created);
            done = true;
            return result;
        } finally {
            if (!done) {
                removeAll(created);
            }
        }
    }

    private static List<Extracted> extractAll(ZipFile archive, Path root, Limits limits, Deque<Path> created)
            throws PortalException, IOException {
        List<Extracted> result = new ArrayList<>();
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[BUFFER];
        Enumeration<? extends ZipEntry> all = archive.entries();
        while (all.hasMoreElements()) {
            ZipEntry entry = all.nextElement();
            // Counted again while iterating: size() is what the directory claims, not what it holds.
            if (++entries > limits.maxEntries()) {
                throw unsafe("archive has more than " + limits.maxEntries() + " entries");
            }
            String name = relativeName(entry.getName());
            if (entry.isDirectory() || name.isEmpty()) {
                continue;
            }
            Path out = resolveInside(root, name);
            // A declared size over the limit is reason enough to stop; a small one proves nothing.
            if (entry.getSize() > limits.maxEntryBytes()) {
                throw unsafe("entry " + name + " declares " + entry.getSize() + " bytes, limit " + limits.maxEntryBytes());
            }
            createDirectories(out.getParent(), created);
            long written = 0;
            try (InputStream in = archive.getInputStream(entry);
                    OutputStream os = createNew(out, name, created)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    written += n;
                    total += n;
                    if (written > limits.maxEntryBytes()) {
                        throw unsafe("entry " + name + " expands beyond " + limits.maxEntryBytes() + " bytes");
                    }
                    if (total > limits.maxTotalBytes()) {
                        throw unsafe("archive expands beyond " + limits.maxTotalBytes() + " bytes");
                    }
                    os.write(buffer, 0, n);
                }
            }
            result.add(new Extracted(out, name));
        }
        return result;
    }

    /** UTF-8 first (also what the UTF-8 flag promises); names that are not valid UTF-8 are GB18030. */
    private static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile(), StandardCharsets.UTF_8);
        } catch (ZipException notUtf8) {
            try {
                return new ZipFile(zip.toFile(), GB18030);
            } catch (ZipException alsoBroken) {
                notUtf8.addSuppressed(alsoBroken);
                throw notUtf8;
            }
        }
    }

    /**
     * Turns an entry name into a relative, {@code /}-separated path, or rejects it. Backslashes
     * count as separators: Windows tools write them, and on Linux {@code ..\x} would otherwise
     * survive as an odd file name only to become a traversal wherever the name is used next.
     */
    static String relativeName(String raw) throws PortalException {
        if (raw == null) {
            throw unsafe("entry without a name");
        }
        String name = raw.replace('\\', '/');
        if (name.indexOf('\0') >= 0) {
            throw unsafe("entry name contains NUL");
        }
        if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
            throw unsafe("absolute entry name: " + printable(raw));
        }
        StringBuilder out = new StringBuilder(name.length());
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw unsafe("entry name leaves the target: " + printable(raw));
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.toString();
    }

    /** The name check above is the rule; this is the proof, on the path the file system will use. */
    private static Path resolveInside(Path root, String name) throws PortalException {
        Path out;
        try {
            out = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw unsafe("entry name is not a valid path: " + printable(name));
        }
        if (!out.startsWith(root) || out.equals(root)) {
            throw unsafe("entry name leaves the target: " + printable(name));
        }
        return out;
    }

    private static void createDirectories(Path dir, Deque<Path> created) throws PortalException, IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                // a file entry "a" and a later entry "a/b" cannot both exist
                throw unsafe("entry path collides with a file: " + p.getFileName());
            }
            created.push(p);
        }
    }

    private static OutputStream createNew(Path out, String name, Deque<Path> created) throws PortalException, IOException {
        try {
            OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            created.push(out);
            return os;
        } catch (FileAlreadyExistsException e) {
            // Two entries with one name: the later would silently replace the earlier.
            throw unsafe("duplicate entry: " + printable(name));
        }
    }

    /** Newest first, so files go before the folders that hold them. */
    private static void removeAll(Deque<Path> created) {
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort; the job's work directory is removed afterwards anyway
            }
        }
    }

    private static String printable(String name) {
        String s = name.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    private static PortalException unsafe(String message) {
        return new PortalException(ErrorCode.UNSAFE_CONTENT, message);
    }
}
