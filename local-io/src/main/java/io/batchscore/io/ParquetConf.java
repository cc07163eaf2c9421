package io.batchscore.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;

/**
 * The one Parquet configuration the local reader and writer share.
 *
 * <p>Parquet's builders otherwise make a new Hadoop {@code Configuration} for every file they open,
 * and each parses Hadoop's bundled {@code core-default.xml} again (about 0.1 s of a command's start
 * before the JIT has warmed up, once per input file and once for the output). The CLI reads and
 * writes local files only (through {@link ChannelInputFile} and Parquet's {@code LocalOutputFile},
 * never Hadoop's file systems) and takes every setting it needs from Parquet's own defaults, so the
 * Hadoop defaults are not loaded at all.
 */
final class ParquetConf {
  private ParquetConf() {}

  static final ParquetConfiguration SHARED =
      new HadoopParquetConfiguration(new Configuration(false));
}
