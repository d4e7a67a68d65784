-- Case number read from a PDF's first page (normalised: （2026）粤0106民初1234号), when it has one.
alter table documents add column case_number varchar(128);
