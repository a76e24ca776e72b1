from django.db import migrations

from sangathan.core.migration_ops import PostgresOnlySQL

# The names' trigram indexes become GiST (PostgreSQL only). With GIN, the planner prices the similarity
# operator (%>) like an equality and reads all ~42,000 names of people_searchname, computing a word
# similarity for each: 130–200 ms for a 4-letter-or-longer name query on the MP demo. It chooses a GiST
# index on its own, and the matching names then take ~10 ms (issue 15, docs/PERFORMANCE.md).
# siglen 64: a longer signature than the default 12 bytes, so fewer false matches to recheck.
GIST = [
    ("DROP INDEX IF EXISTS people_searchname_key_trgm",
     "CREATE INDEX people_searchname_key_trgm ON people_searchname USING gin (name_key gin_trgm_ops)"),
    ("DROP INDEX IF EXISTS people_searchname_latin_trgm",
     "CREATE INDEX people_searchname_latin_trgm ON people_searchname USING gin (name_latin gin_trgm_ops)"),
    ("CREATE INDEX people_searchname_key_trgm ON people_searchname USING gist (name_key gist_trgm_ops(siglen=64))",
     "DROP INDEX IF EXISTS people_searchname_key_trgm"),
    ("CREATE INDEX people_searchname_latin_trgm ON people_searchname "
     "USING gist (name_latin gist_trgm_ops(siglen=64))", "DROP INDEX IF EXISTS people_searchname_latin_trgm"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0014_headcount_kept_current"),
    ]

    operations = [PostgresOnlySQL(sql, reverse_sql) for sql, reverse_sql in GIST]
