using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Web.Pages;

/// <summary>The admin's words: accounts (用户管理) and the audit log (审计日志).</summary>
public static partial class ConsoleText
{
    public static LocalizedText Users { get; } = new("用户管理", "Users");

    public static LocalizedText AuditLog { get; } = new("审计日志", "Audit log");

    public static LocalizedText DisplayName { get; } = new("显示名", "Display name");

    public static LocalizedText Role { get; } = new("角色", "Role");

    public static LocalizedText Viewer { get; } = new("查看者", "viewer");

    public static LocalizedText Operator { get; } = new("操作员", "operator");

    public static LocalizedText Admin { get; } = new("管理员", "admin");

    public static LocalizedText Changed { get; } = new("最近修改", "Changed");

    public static LocalizedText Actions { get; } = new("操作", "Actions");

    public static LocalizedText Save { get; } = new("保存", "Save");

    public static LocalizedText Disabled { get; } = new("已停用", "disabled");

    public static LocalizedText Locked { get; } = new("已锁定", "locked");

    public static LocalizedText Active { get; } = new("正常", "active");

    // The action buttons, keyed by the action they post ("password" is the sign-in form's word as well).
    public static LocalizedText Disable { get; } = new("停用", "Disable");

    public static LocalizedText Enable { get; } = new("启用", "Enable");

    public static LocalizedText Unlock { get; } = new("解锁", "Unlock");

    public static LocalizedText AddUser { get; } = new("添加用户", "Add a user");

    public static LocalizedText AddUserHint { get; } = new("新用户的初始密码由系统生成，只显示一次，请当面或通过安全渠道转交。点击“重设密码”为用户重新生成密码，其所有会话随即失效。", "A new user's first password is made up by the system and shown once: hand it over in person or by a safe channel. \"New password\" makes a new one and ends the user's sessions.");

    public static LocalizedText PasswordShownOnce { get; } = new("新密码（只显示一次）", "New password (shown once)");

    public static LocalizedText When { get; } = new("时间", "When");

    public static LocalizedText Who { get; } = new("操作人", "Who");

    public static LocalizedText What { get; } = new("操作", "What");

    public static LocalizedText Subject { get; } = new("对象", "Subject");

    public static LocalizedText Detail { get; } = new("详情", "Detail");

    public static LocalizedText Older { get; } = new("更早的记录", "Older entries");
}
