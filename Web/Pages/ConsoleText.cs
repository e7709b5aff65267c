using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// The console's words, 简体中文 by default and English with ?lang=en: a catalogue whose members are the stable keys
/// (templates read them as <c>T.signIn</c>). Keys must not be Liquid's own members of a dictionary (size, first,
/// last), which the template engine answers before the dictionary does.
/// </summary>
public static partial class ConsoleText
{
    /// <summary>The words in one language, for a template.</summary>
    public static IReadOnlyDictionary<string, string> For(Language language) => language.IsEnglish ? ForTemplates.English : ForTemplates.Chinese;

    public static LocalizedText App { get; } = new("能耗监测", "EnergyMonitor");

    public static LocalizedText Overview { get; } = new("总览", "Overview");

    public static LocalizedText Buildings { get; } = new("建筑", "Buildings");

    public static LocalizedText Alerts { get; } = new("告警", "Alerts");

    public static LocalizedText Reports { get; } = new("报告", "Reports");

    public static LocalizedText SignOut { get; } = new("退出", "Sign out");

    public static LocalizedText SignIn { get; } = new("登录", "Sign in");

    public static LocalizedText UserName { get; } = new("用户名", "User name");

    public static LocalizedText Password { get; } = new("密码", "Password");

    /// <summary>The admin's button that makes a new password for someone: the action "password" posts.</summary>
    public static LocalizedText NewPassword { get; } = new("重设密码", "New password");

    public static LocalizedText SignInHint { get; } = new("请使用管理员为你开设的账号登录。", "Sign in with the account your administrator made for you.");

    public static LocalizedText SignInFailed { get; } = new("用户名或密码不正确。", "The user name or password is not right.");

    public static LocalizedText SignInLocked { get; } = new("密码错误次数过多，账号已锁定。请稍后再试，或请管理员解锁。", "Too many wrong passwords: the account is locked. Try again later, or ask an admin to unlock it.");

    public static LocalizedText SignInThrottled { get; } = new("尝试次数过多，请一分钟后再试。", "Too many attempts: try again in a minute.");

    public static LocalizedText SignInBusy { get; } = new("登录请求较多，请稍后再试。", "Many sign-ins at once: try again in a moment.");

    public static LocalizedText Forbidden { get; } = new("无权访问", "Not allowed");

    public static LocalizedText ForbiddenHint { get; } = new("你的角色不能打开此页面或执行此操作。", "Your role cannot open this page or do this.");

    public static LocalizedText MonthToDate { get; } = new("本月累计综合能耗", "Energy this month");

    public static LocalizedText LastYearSame { get; } = new("上年同期", "Same days last year");

    public static LocalizedText AlertsOpen { get; } = new("未处理告警", "Open alerts");

    public static LocalizedText MetersOffline { get; } = new("离线表计", "Meters offline");

    public static LocalizedText MetersLate { get; } = new("延迟表计", "Meters late");

    public static LocalizedText MetersTotal { get; } = new("表计总数", "Meters");

    public static LocalizedText DailyThisMonth { get; } = new("本月每日综合能耗（kgce），与上年同月对比", "Daily energy this month (kgce) against the same month last year");

    public static LocalizedText ThisYear { get; } = new("本年", "This year");

    public static LocalizedText LastYear { get; } = new("上年", "Last year");

    public static LocalizedText Building { get; } = new("建筑", "Building");

    public static LocalizedText Institution { get; } = new("单位", "Institution");

    public static LocalizedText FloorArea { get; } = new("建筑面积（m²）", "Floor area (m²)");

    public static LocalizedText Kgce { get; } = new("综合能耗（kgce）", "Energy (kgce)");

    public static LocalizedText PerArea { get; } = new("单位面积（kgce/m²）", "Per m² (kgce/m²)");

    public static LocalizedText Meters { get; } = new("表计", "Meters");

    public static LocalizedText Meter { get; } = new("表计", "Meter");

    public static LocalizedText Kind { get; } = new("品种", "Kind");

    public static LocalizedText Latest { get; } = new("最新读数", "Latest reading");

    public static LocalizedText ReadAt { get; } = new("读数时间", "Read at");

    public static LocalizedText Status { get; } = new("状态", "Status");

    public static LocalizedText Ok { get; } = new("正常", "ok");

    public static LocalizedText Late { get; } = new("延迟", "late");

    public static LocalizedText Offline { get; } = new("离线", "offline");

    public static LocalizedText Never { get; } = new("无数据", "no data");

    public static LocalizedText Daily { get; } = new("近 30 天每日用电（kWh）", "Daily electricity, last 30 days (kWh)");

    public static LocalizedText Hourly { get; } = new("近 48 小时逐时用电（kWh）", "Hourly electricity, last 48 hours (kWh)");

    public static LocalizedText SubItems { get; } = new("本月分项用电", "Electricity by sub-item this month");

    public static LocalizedText Item { get; } = new("分项", "Sub-item");

    public static LocalizedText Amount { get; } = new("用量", "Use");

    public static LocalizedText Share { get; } = new("占比", "Share");

    public static LocalizedText Severity { get; } = new("级别", "Severity");

    public static LocalizedText Critical { get; } = new("严重", "critical");

    public static LocalizedText Warning { get; } = new("警告", "warning");

    public static LocalizedText Info { get; } = new("提示", "info");

    public static LocalizedText All { get; } = new("全部", "All");

    public static LocalizedText ActiveOnly { get; } = new("仅未关闭", "Active only");

    public static LocalizedText Filter { get; } = new("筛选", "Filter");

    public static LocalizedText Opened { get; } = new("发生时间", "Opened");

    public static LocalizedText Alert { get; } = new("告警内容", "Alert");

    public static LocalizedText Action { get; } = new("处理建议", "What to do");

    public static LocalizedText State { get; } = new("状态", "State");

    public static LocalizedText Open { get; } = new("未处理", "open");

    public static LocalizedText Acknowledged { get; } = new("已确认", "acknowledged");

    public static LocalizedText Resolved { get; } = new("已恢复", "resolved");

    public static LocalizedText Acknowledge { get; } = new("确认", "Acknowledge");

    public static LocalizedText NoAlerts { get; } = new("没有符合条件的告警。", "No alerts match.");

    public static LocalizedText Period { get; } = new("报告期", "Period");

    public static LocalizedText Scope { get; } = new("范围", "Scope");

    public static LocalizedText Format { get; } = new("格式", "Format");

    public static LocalizedText Generated { get; } = new("生成时间", "Generated");

    public static LocalizedText FileSize { get; } = new("大小", "Size");

    public static LocalizedText Download { get; } = new("下载", "Download");

    public static LocalizedText NoReports { get; } = new("尚未生成报告（每月 1 日 02:00 自动生成，或运行 energymonitor report）。", "No reports yet (made on the 1st of each month at 02:00, or with energymonitor report).");

    public static LocalizedText TopAlerts { get; } = new("最新未处理告警", "Latest open alerts");

    /// <summary>The link to the other language, named in that language: the one entry whose two texts are not translations.</summary>
    public static LocalizedText OtherLanguage { get; } = new("English", "中文");

    public static LocalizedText SignedInAs { get; } = new("当前用户", "Signed in as");

    public static LocalizedText NoData { get; } = new("暂无数据", "No data yet");

    public static LocalizedText Lp { get; } = new("（", " (");

    public static LocalizedText Rp { get; } = new("）", ")");

    public static LocalizedText Comma { get; } = new("，", ", ");

    public static LocalizedText Stop { get; } = new("。", ". ");

    public static LocalizedText Colon { get; } = new("：", ": ");

    // Built after the entries above exist: a nested class is initialised on first use, not with its outer class.
    private static class ForTemplates
    {
        public static readonly IReadOnlyDictionary<string, string> Chinese = LocalizedCatalogue.In(typeof(ConsoleText), Language.Chinese);
        public static readonly IReadOnlyDictionary<string, string> English = LocalizedCatalogue.In(typeof(ConsoleText), Language.English);
    }
}
