from thetsaban import hooks


class SampleAppConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.tests.sample_app"
    label = "sample_app"
    verbose_name = "Sample notes"
    urls = (("sample-notes/", "thetsaban.tests.sample_app.urls"),)
    api = ("thetsaban.tests.sample_app.api",)
    search = "thetsaban.tests.sample_app.search"
    demo = ("sample notes", "thetsaban.tests.sample_app.demo.load")
    participation_targets = {"note": hooks.ParticipationTarget("sample_app.Note")}
    navigation = (hooks.NavLink("sample_app:list", "Sample notes", 95),)
    mypage = (hooks.MyPageSection("sample_app/mypage.html", "thetsaban.tests.sample_app.mypage.section", 10),)
    lgu_page = (hooks.LguPageSection("sample_app/lgu.html", "thetsaban.tests.sample_app.mypage.lgu_section", 10),)
    example_data = (hooks.ExampleData("notes", "sample notes", "thetsaban.tests.sample_app.demo.generate"),)
