package io.batchscore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP sockets a process listens on, read from Linux's /proc (address in hex, port). */
final class ListeningSockets {
  /** One listening socket: whether its address is a loopback one, and its port. */
  record Socket(String address, int port, boolean loopback) {}

  private ListeningSockets() {}

  static List<Socket> of(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listing
        }
      }
    }
    List<Socket> out = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[3].equals("0A") || !inodes.contains(f[9])) {
          continue; // not listening, or not this process's
        }
        String[] addr = f[1].split(":");
        String hex = addr[0];
        boolean loopback =
            hex.equals("0100007F") // 127.0.0.1
                || hex.equals("00000000000000000000000001000000") // ::1
                || hex.equals("0000000000000000FFFF00000100007F"); // ::ffff:127.0.0.1
        out.add(new Socket(hex, Integer.parseInt(addr[1], 16), loopback));
      }
    }
    return out;
  }
}
