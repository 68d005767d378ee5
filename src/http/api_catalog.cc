// /api/v1/tags, /fields, /groups, /departments, /presets
#include "http/route.h"

namespace dialbook::http {

namespace {

template <typename T, typename F>
HttpResponse Items(Result<std::vector<T>>&& r, F&& to_json) {
  if (!r) return ErrorResponse(r.error());
  json items = json::array();
  for (auto& x : *r) items.push_back(to_json(x));
  return Json(200, {{"items", items}});
}

std::optional<HttpResponse> Tags(Ctx& ctx) {
  const auto& seg = ctx.seg;
  const std::string& m = ctx.req.method;
  if (seg.size() == 1) {
    if (m == "GET") return Items(ctx.svc.ListTags(ctx.caller), TagJson);
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto in = TagInputFrom(*body);
    if (!in) return ErrorResponse(in.error());
    return Render(ctx.svc.CreateTag(ctx.caller, *in), [](const Tag& t) { return Json(201, TagJson(t)); });
  }
  auto id = PathId(seg[1], "tag");
  if (!id) return ErrorResponse(id.error());
  if (seg.size() == 2) {
    if (m == "DELETE") {
      auto st = ctx.svc.DeleteTag(ctx.caller, *id);
      return st ? NoContent() : ErrorResponse(st.error());
    }
    if (m != "PATCH") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto in = TagInputFrom(*body);
    if (!in) return ErrorResponse(in.error());
    return Render(ctx.svc.UpdateTag(ctx.caller, *id, *in), [](const Tag& t) { return Json(200, TagJson(t)); });
  }
  if (seg.size() == 3 && seg[2] == "merge") {
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    if (auto st = OnlyKeys(*body, {"into"}, ""); !st) return ErrorResponse(st.error());
    if (!body->contains("into") || !(*body)["into"].is_number_integer())
      return ErrorResponse(FieldError("into", "into must be the id of the tag to merge into"));
    return Render(ctx.svc.MergeTag(ctx.caller, *id, (*body)["into"].get<int64_t>()),
                  [](const Tag& t) { return Json(200, TagJson(t)); });
  }
  return std::nullopt;
}

std::optional<HttpResponse> Sets(Ctx& ctx, SetKind kind) {
  const auto& seg = ctx.seg;
  const std::string& m = ctx.req.method;
  auto name_of = [&](const json& body) -> Result<std::string> {
    DB_TRY(OnlyKeys(body, {"name", "id", "count"}, ""));
    return GetString(body, "name", true);
  };
  if (seg.size() == 1) {
    if (m == "GET") return Items(ctx.svc.ListSets(ctx.caller, kind), SetJson);
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto name = name_of(*body);
    if (!name) return ErrorResponse(name.error());
    return Render(ctx.svc.CreateSet(ctx.caller, kind, *name), [](const NamedSet& s) { return Json(201, SetJson(s)); });
  }
  if (seg.size() != 2) return std::nullopt;
  auto id = PathId(seg[1], kind == SetKind::kGroup ? "group" : "department");
  if (!id) return ErrorResponse(id.error());
  if (m == "DELETE") {
    auto st = ctx.svc.DeleteSet(ctx.caller, kind, *id);
    return st ? NoContent() : ErrorResponse(st.error());
  }
  if (m != "PATCH") return MethodNotAllowed(ctx.req);
  auto body = Body(ctx);
  if (!body) return ErrorResponse(body.error());
  auto name = name_of(*body);
  if (!name) return ErrorResponse(name.error());
  return Render(ctx.svc.RenameSet(ctx.caller, kind, *id, *name), [](const NamedSet& s) { return Json(200, SetJson(s)); });
}

std::optional<HttpResponse> Fields(Ctx& ctx) {
  const auto& seg = ctx.seg;
  const std::string& m = ctx.req.method;
  if (seg.size() == 1) {
    if (m == "GET") {
      bool archived = false;
      for (auto& [k, v] : ctx.req.query) {
        if (k != "include_archived") return ErrorResponse(FieldError(k, "unknown parameter '" + k + "'"));
        archived = v == "true";
      }
      return Items(ctx.svc.VisibleFields(ctx.caller, archived), FieldJson);
    }
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto in = FieldInputFrom(*body);
    if (!in) return ErrorResponse(in.error());
    return Render(ctx.svc.CreateField(ctx.caller, *in), [](const FieldDef& f) { return Json(201, FieldJson(f)); });
  }
  if (seg.size() != 2) return std::nullopt;
  if (m == "DELETE") {
    bool confirm = false;
    for (auto& [k, v] : ctx.req.query) {
      if (k != "confirm") return ErrorResponse(FieldError(k, "unknown parameter '" + k + "'"));
      confirm = v == "true";
    }
    auto st = ctx.svc.DeleteField(ctx.caller, seg[1], confirm);
    return st ? NoContent() : ErrorResponse(st.error());
  }
  if (m != "PATCH") return MethodNotAllowed(ctx.req);
  auto body = Body(ctx);
  if (!body) return ErrorResponse(body.error());
  auto in = FieldInputFrom(*body);
  if (!in) return ErrorResponse(in.error());
  return Render(ctx.svc.UpdateField(ctx.caller, seg[1], *in), [](const FieldDef& f) { return Json(200, FieldJson(f)); });
}

std::optional<HttpResponse> Presets(Ctx& ctx) {
  const auto& seg = ctx.seg;
  const std::string& m = ctx.req.method;
  if (seg.size() == 1) {
    if (m == "GET") return Items(ctx.svc.ListPresets(ctx.caller), PresetJson);
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto in = PresetInputFrom(*body);
    if (!in) return ErrorResponse(in.error());
    return Render(ctx.svc.CreatePreset(ctx.caller, *in), [](const Preset& p) { return Json(201, PresetJson(p)); });
  }
  if (seg.size() != 2) return std::nullopt;
  auto id = PathId(seg[1], "preset");
  if (!id) return ErrorResponse(id.error());
  if (m == "DELETE") {
    auto st = ctx.svc.DeletePreset(ctx.caller, *id);
    return st ? NoContent() : ErrorResponse(st.error());
  }
  if (m != "PATCH") return MethodNotAllowed(ctx.req);
  auto body = Body(ctx);
  if (!body) return ErrorResponse(body.error());
  auto in = PresetInputFrom(*body);
  if (!in) return ErrorResponse(in.error());
  return Render(ctx.svc.UpdatePreset(ctx.caller, *id, *in), [](const Preset& p) { return Json(200, PresetJson(p)); });
}

}  // namespace

std::optional<HttpResponse> RouteCatalog(Ctx& ctx) {
  const std::string& s = ctx.seg[0];
  if (s == "tags") return Tags(ctx);
  if (s == "groups") return Sets(ctx, SetKind::kGroup);
  if (s == "departments") return Sets(ctx, SetKind::kDepartment);
  if (s == "fields") return Fields(ctx);
  if (s == "presets") return Presets(ctx);
  return std::nullopt;
}

}  // namespace dialbook::http
