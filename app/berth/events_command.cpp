// `berth events`: docker's semantics. Prints the journal's events that match (since
// --since, default: only new ones), then streams what is appended until interrupted or
// until --until is reached. `-f` is `--filter`, as in docker.
#include "container_cli.h"

#include "container/container_record.h"
#include "store/events.h"
#include "sys/unique_fd.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <memory>

namespace berth::cli {

namespace {

// --since/--until as logs takes them; a numeric "0" is the epoch here, not "no bound".
int64_t parseEventTime(const std::string& text) {
    int64_t ns = parseTimeBound(text);
    return !text.empty() && ns <= 0 ? 1 : ns;
}

// Docker's JSON message for one event (what `--format '{{json .}}'` prints).
nlohmann::json dockerEvent(const store::Event& e) {
    nlohmann::json attrs = nlohmann::json::object();
    for (auto& [k, v] : e.attributes) attrs[k] = v;
    nlohmann::json j;
    if (e.type == "container") {
        j["status"] = e.action;
        j["id"] = e.id;
        if (e.attributes.count("image")) j["from"] = e.attributes.at("image");
    }
    j["Type"] = e.type;
    j["Action"] = e.action;
    j["Actor"] = {{"ID", e.id}, {"Attributes", attrs}};
    j["scope"] = "local";
    j["time"] = e.timeNano / 1000000000;
    j["timeNano"] = e.timeNano;
    return j;
}

// Go-template subset over docker's event object: {{json .}}, {{.Field}}, {{.Actor.ID}},
// {{.Actor.Attributes.name}}, {{json .Actor}}. Field names match case-insensitively at
// the first level, as docker's message has both "status" and "Status" spellings.
std::string applyEventTemplate(const std::string& tmpl, const nlohmann::json& ev) {
    auto lookup = [&](const std::string& path) -> nlohmann::json {
        const nlohmann::json* cur = &ev;
        size_t pos = 1;  // after the leading '.'
        if (path == ".") return ev;
        while (pos <= path.size()) {
            auto dot = path.find('.', pos);
            std::string key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
            if (!cur->is_object()) throw CliError{"template: can't evaluate field " + key, 1};
            const nlohmann::json* next = nullptr;
            if (cur->contains(key)) next = &(*cur)[key];
            else {
                for (auto it = cur->begin(); it != cur->end(); ++it) {
                    std::string a = it.key(), b = key;
                    for (auto& c : a) c = char(std::tolower(c));
                    for (auto& c : b) c = char(std::tolower(c));
                    if (a == b) next = &it.value();
                }
                if (!next && (key == "ID" || key == "Id")) next = &(*cur)["Actor"]["ID"];
                if (!next && key == "TimeNano") next = &(*cur)["timeNano"];
            }
            if (!next) {
                // Missing attributes print as docker's "<no value>".
                return nlohmann::json("<no value>");
            }
            cur = next;
            if (dot == std::string::npos) break;
            pos = dot + 1;
        }
        return *cur;
    };
    std::string out;
    size_t pos = 0;
    while (pos < tmpl.size()) {
        auto open = tmpl.find("{{", pos);
        if (open == std::string::npos) {
            out += tmpl.substr(pos);
            break;
        }
        out += tmpl.substr(pos, open - pos);
        auto close = tmpl.find("}}", open);
        if (close == std::string::npos) throw CliError{"template: unclosed action in `" + tmpl + "`", 1};
        std::string expr = tmpl.substr(open + 2, close - open - 2);
        while (!expr.empty() && expr.front() == ' ') expr.erase(0, 1);
        while (!expr.empty() && expr.back() == ' ') expr.pop_back();
        bool json = expr.rfind("json ", 0) == 0;
        if (json) expr.erase(0, 5);
        while (!expr.empty() && expr.front() == ' ') expr.erase(0, 1);
        if (expr.empty() || expr[0] != '.') throw CliError{"template: unsupported action {{" + expr + "}}", 1};
        auto v = lookup(expr);
        if (json) out += v.dump();
        else if (v.is_string()) out += v.get<std::string>();
        else if (v.is_object()) {
            // Go prints a map as map[k:v ...].
            std::string m = "map[";
            bool first = true;
            for (auto it = v.begin(); it != v.end(); ++it) {
                m += (first ? "" : " ") + it.key() + ":" + (it->is_string() ? it->get<std::string>() : it->dump());
                first = false;
            }
            out += m + "]";
        } else out += v.dump();
        pos = close + 2;
    }
    for (size_t i = 0; (i = out.find("\\t", i)) != std::string::npos;) out.replace(i, 2, "\t");
    return out;
}

struct EventsFlags {
    std::string since, until, format;
    std::vector<std::string> filters;
};

// Reads complete lines appended to the journal since `offset` (a torn last line waits for
// its newline), like the desktop's follower: O(appended), not O(journal) per wake-up.
std::vector<store::Event> readAppended(const std::filesystem::path& journal, int64_t& offset) {
    std::vector<store::Event> out;
    sys::UniqueFd fd(::open(journal.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return out;
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0) return out;
    if (st.st_size < offset) offset = 0;  // replaced (system check --repair): start over
    std::string data;
    char buf[65536];
    int64_t at = offset;
    while (true) {
        ssize_t n = ::pread(fd.get(), buf, sizeof buf, at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        data.append(buf, size_t(n));
        at += n;
    }
    size_t pos = 0;
    while (true) {
        auto nl = data.find('\n', pos);
        if (nl == std::string::npos) break;
        std::string_view line(data.data() + pos, nl - pos);
        if (auto e = store::eventFromJson(line)) out.push_back(std::move(*e));
        pos = nl + 1;
    }
    offset += int64_t(pos);
    return out;
}

} // namespace

void addEventsVerb(CLI::App& parent, CliContext& ctx) {
    auto f = std::make_shared<EventsFlags>();
    auto* sub = addVerb(parent, "events", "Get real time events from the store", ctx, [&ctx, f] {
        int64_t since = parseEventTime(f->since), until = parseEventTime(f->until);
        std::map<std::string, std::vector<std::string>> filters;
        for (auto& flt : f->filters) {
            auto eq = flt.find('=');
            if (eq == std::string::npos) throw CliError{"bad format of filter (expected name=value): " + flt, 1};
            std::string key = flt.substr(0, eq);
            if (key != "type" && key != "event" && key != "action" && key != "container" && key != "image" &&
                key != "label")
                throw CliError{"invalid filter '" + key + "'", 1};
            filters[key].push_back(flt.substr(eq + 1));
        }
        auto matches = [&](const store::Event& e) {
            if (since && e.timeNano < since) return false;
            if (until && e.timeNano > until) return false;
            for (auto& [key, values] : filters) {
                bool ok = false;
                for (auto& v : values) {
                    if (key == "type") ok = ok || e.type == v;
                    else if (key == "event" || key == "action") ok = ok || e.action == v;
                    else if (key == "container")
                        ok = ok || (e.type == "container" && (e.id.rfind(v, 0) == 0 || e.name == v));
                    else if (key == "image")
                        ok = ok || (e.attributes.count("image") && e.attributes.at("image") == v) ||
                             (e.type == "image" && (e.id == v || e.name == v));
                    else if (key == "label") {
                        auto eq = v.find('=');
                        auto it = e.attributes.find(v.substr(0, eq));
                        ok = ok || (it != e.attributes.end() &&
                                    (eq == std::string::npos || it->second == v.substr(eq + 1)));
                    }
                }
                if (!ok) return false;
            }
            return true;
        };
        std::string tmpl = f->format == "json" ? "{{json .}}" : f->format;
        auto print = [&](const store::Event& e) {
            if (!tmpl.empty()) {
                fmt::print("{}\n", applyEventTemplate(tmpl, dockerEvent(e)));
            } else {
                std::string attrs;
                for (auto& [k, v] : e.attributes) attrs += (attrs.empty() ? "" : ", ") + k + "=" + v;
                fmt::print("{} {} {} {} ({})\n", container::formatTimeNano(e.timeNano), e.type, e.action, e.id, attrs);
            }
            std::fflush(stdout);
        };

        auto& layout = ctx.engine().layout();
        auto journal = layout.eventsFile();
        // Watch before reading, so nothing appended in between is missed.
        sys::UniqueFd ino(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
        if (!ino) throw CliError{"inotify_init1: " + std::string(std::strerror(errno)), 1};
        if (::inotify_add_watch(ino.get(), layout.root.c_str(), IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
            throw CliError{"watch " + layout.root.string() + ": " + std::strerror(errno), 1};
        int64_t offset = 0;
        // Without --since or --until, docker shows only new events: skip to the end. With
        // either, the past up to --until is printed first (`--until 0s`: everything so far).
        if (!since && !until) {
            struct stat st {};
            if (::stat(journal.c_str(), &st) == 0) offset = st.st_size;
        }
        while (true) {
            for (auto& e : readAppended(journal, offset))
                if (matches(e)) print(e);
            int timeout = -1;
            if (until) {
                int64_t left = until - container::nowNano();
                if (left <= 0) return;
                timeout = int(std::min<int64_t>(left / 1000000 + 1, 60000));
            }
            pollfd p{ino.get(), POLLIN, 0};
            int r = ::poll(&p, 1, timeout);
            if (r < 0 && errno != EINTR) throw CliError{"poll the events journal: " + std::string(std::strerror(errno)), 1};
            if (r > 0) {
                char buf[4096];
                while (::read(ino.get(), buf, sizeof buf) > 0) {}
            }
        }
    });
    sub->add_option("-f,--filter", f->filters, "Filter output based on conditions provided (type, container, event, image, label)")
        ->allow_extra_args(false);
    sub->add_option("--since", f->since, "Show all events created since timestamp or relative (e.g. 42m)");
    sub->add_option("--until", f->until, "Stream events until this timestamp or relative (e.g. 0s = now)");
    sub->add_option("--format", f->format, "Format the output using a Go-like template ('{{json .}}')");
}

} // namespace berth::cli
