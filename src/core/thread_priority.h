// Scheduling priority of background threads. Thread-safe.
#pragma once

namespace dialbook {

// Lowers the calling thread to the lowest scheduling priority (nice 19): it runs when no
// thread of ordinary priority wants the CPU. For work nobody waits on directly (an import's
// row preparation, WAL checkpoints), so that the thread on the critical path (an import's
// one database writer) or the threads serving requests get the cores first. A thread
// cannot raise its priority back without privileges, and new threads inherit it: call it
// only on threads that do nothing else afterwards. Best effort: a refusal is ignored.
void RunAsBackgroundThread();
// The calling thread's nice value (for tests).
int ThreadNiceValue();

}  // namespace dialbook
