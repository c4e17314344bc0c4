-- The industries the reference table knows (for an upload without an industry column).
select industry from industries order by industry
