// /api/v1/auth/…, /me, /workspaces, /workspace, /members, /tokens
#include "http/route.h"

namespace dialbook::http {

namespace {

HttpResponse MeResponse(Ctx& ctx, const Caller& caller) {
  return Render(ctx.svc.Me(caller), [](const MeInfo& me) { return Json(200, MeJson(me)); });
}

std::optional<HttpResponse> Members(Ctx& ctx) {
  const auto& seg = ctx.seg;
  const std::string& m = ctx.req.method;
  if (seg.size() == 1) {
    if (m == "GET")
      return Render(ctx.svc.ListMembers(ctx.caller), [](const std::vector<MemberInfo>& ms) {
        json items = json::array();
        for (auto& x : ms) items.push_back(MemberJson(x));
        return Json(200, {{"items", items}});
      });
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto in = MemberInputFrom(*body);
    if (!in) return ErrorResponse(in.error());
    return Render(ctx.svc.AddMember(ctx.caller, *in), [](const MemberInfo& x) { return Json(201, MemberJson(x)); });
  }
  if (seg.size() != 2) return std::nullopt;
  auto id = PathId(seg[1], "member");
  if (!id) return ErrorResponse(id.error());
  if (m == "DELETE") {
    auto st = ctx.svc.RemoveMember(ctx.caller, *id);
    return st ? NoContent() : ErrorResponse(st.error());
  }
  if (m != "PATCH") return MethodNotAllowed(ctx.req);
  auto body = Body(ctx);
  if (!body) return ErrorResponse(body.error());
  auto in = MemberInputFrom(*body);
  if (!in) return ErrorResponse(in.error());
  return Render(ctx.svc.UpdateMember(ctx.caller, *id, *in), [](const MemberInfo& x) { return Json(200, MemberJson(x)); });
}

std::optional<HttpResponse> Tokens(Ctx& ctx) {
  const auto& seg = ctx.seg;
  const std::string& m = ctx.req.method;
  if (seg.size() == 1) {
    if (m == "GET")
      return Render(ctx.svc.ListTokens(ctx.caller), [](const std::vector<ApiToken>& ts) {
        json items = json::array();
        for (auto& t : ts) items.push_back(TokenJson(t));
        return Json(200, {{"items", items}});
      });
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    if (auto st = OnlyKeys(*body, {"name"}, ""); !st) return ErrorResponse(st.error());
    auto name = GetString(*body, "name", false);
    if (!name) return ErrorResponse(name.error());
    return Render(ctx.svc.CreateToken(ctx.caller, *name), [](const std::pair<ApiToken, std::string>& t) {
      json j = TokenJson(t.first);
      j["token"] = t.second;
      return Json(201, j);
    });
  }
  if (seg.size() != 2) return std::nullopt;
  auto id = PathId(seg[1], "token");
  if (!id) return ErrorResponse(id.error());
  if (m != "DELETE") return MethodNotAllowed(ctx.req);
  auto st = ctx.svc.RevokeToken(ctx.caller, *id);
  return st ? NoContent() : ErrorResponse(st.error());
}

}  // namespace

std::optional<HttpResponse> RouteAccounts(Ctx& ctx) {
  const auto& seg = ctx.seg;
  const std::string& m = ctx.req.method;
  if (seg[0] == "me" && seg.size() == 1) {
    if (m != "GET") return MethodNotAllowed(ctx.req);
    return MeResponse(ctx, ctx.caller);
  }
  if (seg[0] == "auth" && seg.size() == 2) {
    if (m != "POST") return MethodNotAllowed(ctx.req);
    if (seg[1] == "logout") {
      auto st = ctx.svc.Logout(ctx.caller);
      if (!st) return ErrorResponse(st.error());
      HttpResponse r = NoContent();
      r.headers.emplace_back("Set-Cookie", "dialbook_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
      return r;
    }
    if (seg[1] == "switch") {
      auto body = Body(ctx);
      if (!body) return ErrorResponse(body.error());
      if (auto st = OnlyKeys(*body, {"workspace_id"}, ""); !st) return ErrorResponse(st.error());
      if (!body->contains("workspace_id") || !(*body)["workspace_id"].is_number_integer())
        return ErrorResponse(FieldError("workspace_id", "workspace_id must be an integer"));
      auto next = ctx.svc.SwitchWorkspace(ctx.caller, (*body)["workspace_id"].get<int64_t>());
      if (!next) return ErrorResponse(next.error());
      return MeResponse(ctx, *next);
    }
    return std::nullopt;
  }
  if (seg[0] == "workspaces" && seg.size() == 1) {
    if (m != "POST") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    if (auto st = OnlyKeys(*body, {"name"}, ""); !st) return ErrorResponse(st.error());
    auto name = GetString(*body, "name", true);
    if (!name) return ErrorResponse(name.error());
    return Render(ctx.svc.CreateWorkspace(ctx.caller, *name), [](const Workspace& w) { return Json(201, WorkspaceJson(w)); });
  }
  if (seg[0] == "workspace" && seg.size() == 1) {
    if (m == "GET") return Render(ctx.svc.GetWorkspace(ctx.caller), [](const Workspace& w) { return Json(200, WorkspaceJson(w)); });
    if (m != "PATCH") return MethodNotAllowed(ctx.req);
    auto body = Body(ctx);
    if (!body) return ErrorResponse(body.error());
    auto in = WorkspaceInputFrom(*body);
    if (!in) return ErrorResponse(in.error());
    return Render(ctx.svc.UpdateWorkspace(ctx.caller, *in), [](const Workspace& w) { return Json(200, WorkspaceJson(w)); });
  }
  if (seg[0] == "members") return Members(ctx);
  if (seg[0] == "tokens") return Tokens(ctx);
  return std::nullopt;
}

}  // namespace dialbook::http
