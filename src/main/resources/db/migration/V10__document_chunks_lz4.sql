-- Document bytes are mostly compressed already (PDF streams, ZIP, images). With the default pglz,
-- PostgreSQL tries to compress each chunk anyway and gives up only after most of it: inserting a
-- 200 KiB chunk took 3.5 ms, against 0.7-0.8 ms with lz4 or with no compression (one session,
-- 2026-12-05). lz4 fails as cheaply as no compression and still shrinks the documents that do
-- compress (plain-text PDFs, Word files). Rows written before this keep pglz; reads handle both.
alter table document_chunks alter column data set compression lz4;
