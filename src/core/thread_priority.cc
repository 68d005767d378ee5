#include "core/thread_priority.h"

#include <sys/resource.h>
#include <unistd.h>

namespace dialbook {

// On Linux, PRIO_PROCESS with a thread id sets that thread's nice value alone.
void RunAsBackgroundThread() { (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19); }

int ThreadNiceValue() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

}  // namespace dialbook
