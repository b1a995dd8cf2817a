"""Maps a JSON Lines corpus through Apache Spark, with geoevents as the filter.

    python pipe_corpus.py GEOEVENTS CORPUS.jsonl OUT.geojsonl [PARTITIONS]

Runs Spark in local mode with two worker threads (local[2]), splits the corpus
into PARTITIONS partitions (default 4), pipes each through
`geoevents map --jsonl - --format geojsonseq -o -` and writes the collected
Features, in partition order, to OUT. tests/spark.rs compares them with a
single-process run.
"""
import sys

from pyspark.sql import SparkSession


def main():
    binary, corpus, out = sys.argv[1:4]
    partitions = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("geoevents-pipe")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    with open(corpus, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    rdd = spark.sparkContext.parallelize(lines, partitions)
    assert rdd.getNumPartitions() == partitions
    features = rdd.pipe(
        f"{binary} -q map --jsonl - --format geojsonseq -o -", checkCode=True
    ).collect()
    with open(out, "w", encoding="utf-8") as f:
        for line in features:
            f.write(line + "\n")
    print(f"{len(lines)} documents in {partitions} partitions -> {len(features)} features",
          file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
