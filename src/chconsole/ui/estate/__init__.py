"""The estate browser: every hub, filtered in SQL, paged as painted; one hub's details."""
