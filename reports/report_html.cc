#include "reports/report_html.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "components/env/check.h"

namespace simvus::reports {
namespace assets {
// Embedded at build time by embed_assets.cmake (report_assets.cc in the build tree).
extern const std::string_view template_html, report_css, report_js, uplot_css, uplot_js;
}  // namespace assets
namespace {

// Text that goes inside <script>: a "</" would end the element early.
std::string ScriptSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') out += '\\';
  }
  return out;
}

}  // namespace

std::string ReportHtml(std::string_view report_json) {
  const std::string_view page = assets::template_html;
  std::string style = std::string(assets::uplot_css) + "\n" + std::string(assets::report_css);
  std::string scripts = ScriptSafe(assets::uplot_js) + "\n;\n" + ScriptSafe(assets::report_js);
  std::string data = ScriptSafe(report_json);
  // Each marker once in the template, replaced where it stands (inserted text is not rescanned).
  std::vector<std::pair<size_t, std::pair<std::string_view, std::string*>>> marks;
  for (auto [marker, text] : {std::pair<std::string_view, std::string*>{"/*{{STYLE}}*/", &style},
                              {"/*{{SCRIPTS}}*/", &scripts},
                              {"{{REPORT_JSON}}", &data}}) {
    const size_t at = page.find(marker);
    SIMVUS_CHECK(at != std::string_view::npos, "report template lacks a marker");
    marks.push_back({at, {marker, text}});
  }
  std::sort(marks.begin(), marks.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  out.reserve(page.size() + style.size() + scripts.size() + data.size());
  size_t from = 0;
  for (const auto& [at, mark] : marks) {
    out.append(page.substr(from, at - from));
    out.append(*mark.second);
    from = at + mark.first.size();
  }
  out.append(page.substr(from));
  return out;
}

}  // namespace simvus::reports
