"""Performance benchmark of the public site (issue 5, item 2). Run with `make bench`."""
