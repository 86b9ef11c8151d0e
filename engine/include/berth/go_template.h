#pragma once
// --format and inspect -f: the subset of Go's text/template that docker's users write, over
// a JSON value (what the engine gives: ContainerDetails::json, dockerEventJson, a row
// turned into an object). One engine for every verb:
//   {{.Field.Sub}}  {{.}}  {{json .Config}}  {{index .Config.Labels "k"}}  {{index .Names 0}}
//   {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}  {{if .State.Running}}up{{else}}down{{end}}
//   {{- trims the space before, -}} the space after; "\t" and "\n" in the text are a tab and
//   a newline, as docker's CLI reads them.
// Values print as Go prints them: strings bare, maps as map[k:v ...], lists as [a b].

#include "berth/error.h"

#include <string>
#include <string_view>

namespace berth {

struct TemplateOptions {
    // A field the value lacks: an error (docker's structs: ps, images) or "<no value>"
    // (docker's maps: event attributes).
    bool missingFieldIsError = true;
    // Field names match case-insensitively (docker's event message has "status" and "Status").
    bool caseInsensitiveFields = false;
};

// `json` is the value `.` stands for. A malformed template or a failed lookup is
// Errc::InvalidArgument with docker's "template: ..." wording.
Result<std::string> renderGoTemplate(std::string_view tmpl, std::string_view json, const TemplateOptions& options = {});

} // namespace berth
