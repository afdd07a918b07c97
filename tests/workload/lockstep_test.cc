// Lockstep: two sides that take turns run one at a time, in the order A1 B1 B2 A2 A3 B3 ...,
// and a side whose partner ends runs the rest alone. Threads stand in for the processes.
#include "workload/lockstep.h"

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using rcubench::Lockstep;

struct Log {
  std::mutex mutex;
  std::vector<std::string> runs;
  std::atomic<int> running{0};
  std::atomic<int> overlaps{0};
  void run(const std::string& name) {
    if (running.fetch_add(1) != 0) overlaps.fetch_add(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // Room for an overlap.
    {
      std::lock_guard<std::mutex> lock(mutex);
      runs.push_back(name);
    }
    running.fetch_sub(1);
  }
};

// One side: a warm-up, then `n` runs, as rcubench does them.
void side(Lockstep lockstep, char name, int n, Log& log, bool* alone = nullptr) {
  lockstep.begin_run();
  log.run(fmt::format("{}w", name));
  for (int k = 0; k < n; ++k) {
    lockstep.begin_run();
    log.run(fmt::format("{}{}", name, k));
    lockstep.end_run();
  }
  if (alone) *alone = lockstep.alone();
}

struct Pipes {
  int a_to_b[2], b_to_a[2];
  Pipes() {
    EXPECT_EQ(pipe(a_to_b), 0);
    EXPECT_EQ(pipe(b_to_a), 0);
  }
  Lockstep a(bool first) { return Lockstep(b_to_a[0], a_to_b[1], first); }
  Lockstep b(bool first) { return Lockstep(a_to_b[0], b_to_a[1], first); }
};

std::string joined(const std::vector<std::string>& runs) {
  std::string out;
  for (const auto& r : runs) out += (out.empty() ? "" : " ") + r;
  return out;
}

TEST(Lockstep, TakesTurnsAbbaOneAtATime) {
  Pipes pipes;
  Log log;
  std::thread b(side, pipes.b(false), 'B', 5, std::ref(log), nullptr);
  std::thread a(side, pipes.a(true), 'A', 5, std::ref(log), nullptr);
  a.join();
  b.join();
  EXPECT_EQ(joined(log.runs), "Aw A0 Bw B0 B1 A1 A2 B2 B3 A3 A4 B4");
  EXPECT_EQ(log.overlaps.load(), 0);
}

// The control: sides that do not wait for the turn overlap, and the check sees it.
TEST(Lockstep, ControlSidesWithoutTurnsOverlap) {
  Log log;
  auto free_side = [&](char name) {
    for (int k = 0; k < 20; ++k) log.run(fmt::format("{}{}", name, k));
  };
  std::thread a(free_side, 'A'), b(free_side, 'B');
  a.join();
  b.join();
  EXPECT_GT(log.overlaps.load(), 0);
}

TEST(Lockstep, SideWhosePartnerEndsRunsAlone) {
  Pipes pipes;
  Log log;
  bool b_alone = false;
  std::thread a(side, pipes.a(true), 'A', 2, std::ref(log), nullptr);
  std::thread b(side, pipes.b(false), 'B', 6, std::ref(log), &b_alone);
  a.join();
  b.join();
  EXPECT_EQ(joined(log.runs), "Aw A0 Bw B0 B1 A1 B2 B3 B4 B5");
  EXPECT_TRUE(b_alone);
}

struct Fifos {
  std::string dir, ab, ba;
  Fifos() {
    char tmpl[] = "/tmp/lockstep_test.XXXXXX";
    dir = mkdtemp(tmpl);
    ab = dir + "/ab";
    ba = dir + "/ba";
    EXPECT_EQ(mkfifo(ab.c_str(), 0600), 0);
    EXPECT_EQ(mkfifo(ba.c_str(), 0600), 0);
  }
  ~Fifos() {
    unlink(ab.c_str());
    unlink(ba.c_str());
    rmdir(dir.c_str());
  }
};

TEST(Lockstep, ConnectsThroughFifosInEitherOrder) {
  for (bool b_connects_first : {false, true}) {
    Fifos fifos;
    Log log;
    auto run_a = [&] { side(Lockstep::connect(fifos.ba, fifos.ab, true), 'A', 3, log); };
    auto run_b = [&] { side(Lockstep::connect(fifos.ab, fifos.ba, false), 'B', 3, log); };
    std::thread first, second;
    if (b_connects_first) {
      first = std::thread(run_b);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      second = std::thread(run_a);
    } else {
      first = std::thread(run_a);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      second = std::thread(run_b);
    }
    first.join();
    second.join();
    EXPECT_EQ(joined(log.runs), "Aw A0 Bw B0 B1 A1 A2 B2");
    EXPECT_EQ(log.overlaps.load(), 0);
  }
}

TEST(Lockstep, NamesAMissingFifo) {
  try {
    Lockstep::connect("/nonexistent/in", "/nonexistent/out", true);
    FAIL() << "connected to nothing";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/in"), std::string::npos) << e.what();
  }
}

TEST(Lockstep, GivesUpOnAPartnerThatNeverComes) {
  Fifos fifos;
  try {
    Lockstep::connect(fifos.ba, fifos.ab, true, std::chrono::milliseconds(100));
    FAIL() << "connected to nobody";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(fifos.ab), std::string::npos) << e.what();
  }
}

}  // namespace
