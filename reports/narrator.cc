#include "reports/narrator.h"

#include <cstdio>

namespace simvus::reports {

std::string NarrateLine(Duration at, const TraceEvent& event) {
  char time[32];
  std::snprintf(time, sizeof(time), "[%10.3f ms]", static_cast<double>(at.ns) / 1e6);
  std::string who = event.node;
  if (!event.from.empty() && !event.to.empty()) who = event.from + " -> " + event.to;
  std::string line = time;
  line += ' ';
  line += who;
  if (who.size() < 34) line.append(34 - who.size(), ' ');
  line += "  ";
  line += event.text;
  return line;
}

}  // namespace simvus::reports
