package law.courtdocs.portal;

import java.nio.file.Path;

/**
 * One document an adapter fetched, still on local disk in the job's work directory.
 *
 * @param file      the bytes, already complete
 * @param fileName  display name, as the portal named it (sanitised by the receiver)
 * @param title     document title (e.g. 民事判决书), if the portal says
 * @param court     court name, if the portal says
 * @param sourceId  the portal's own identity of the document (zxfw: c_wsbh + c_sdbh), or null
 */
public record DownloadedFile(Path file, String fileName, String title, String court, String sourceId) {}
