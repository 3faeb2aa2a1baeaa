"""`kg serve`: a read-only SPARQL 1.1 endpoint over a build."""
