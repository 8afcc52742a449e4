"""pt-BR quotes the help article verbatim; URLs, choice order and `unsure` follow the article; en matches."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
from core_helpers import REPO

from billing_tui.flow import builtin_content_dir

SEED = REPO / "docs" / "design" / "article-pt-BR.txt"
CONTENT = builtin_content_dir()


def read_toml(relative: str) -> dict[str, Any]:
    with (CONTENT / relative).open("rb") as handle:
        return tomllib.load(handle)


GRAPH = read_toml("graph.toml")
PT = read_toml("texts/pt-BR.toml")
EN = read_toml("texts/en.toml")


def at(doc: dict[str, Any], dotted: tuple[str, ...]) -> Any:
    for part in dotted:
        doc = doc[part]
    return doc


def normalize(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def article() -> str:
    assert SEED.exists(), f"the article {SEED} is missing from the repository"
    return normalize(SEED.read_text(encoding="utf-8"))


BC = ("flows", "billing-center")
AC = ("flows", "admin-center")
BC_Q = (*BC, "questions")
AC_Q = (*AC, "questions")

INTRO = (
    "O contato de cobrança (ou seja, o administrador de cobrança) de sua conta é um membro de sua organização "
    "(não um representante da LogMeIn) que tem privilégios especiais que permitem alterar o plano de assinatura da "
    "conta, modificar as informações de pagamento e cobrança e gerenciar outras configurações da conta."
)
CORPORATE_BC = (
    "Você pode ou não ser o administrador de cobrança, mas sua conta é gerenciada no Portal de Cobrança Corporativa "
    "– clique em Ir para faturamento ou acesse https://link.logmeininc.com/corp-billing e efetue login com seu ID de "
    "usuário (informado nas faturas enviadas por e-mail) e senha no Portal de Cobrança Corporativa."
)
CORPORATE_AC = (
    "Você pode ou não ser o administrador de cobrança, mas sua conta é gerenciada no Portal de Cobrança Corporativa "
    "– clique no logotipo de um produto existente em sua conta ou acesse https://link.logmeininc.com/corp-billing e "
    "efetue login com seu ID de usuário (informado nas faturas enviadas por e-mail) e senha no Portal de Cobrança "
    "Corporativa."
)
NOT_ADMIN = "Se não conseguir efetuar login no Portal de Cobrança Corporativa, você não é o administrador de cobrança."
CLOSING = (
    "Se você ainda não tiver certeza de quem é o contato de cobrança, entre em contato com seu administrador que "
    "gerencia a conta do GoToAssist Remote Support v5."
)
SUBSCRIPTIONS = "Você será redirecionado para a página Assinaturas de sua conta"

# (where in texts/pt-BR.toml, the article's sentence, "equals" or "in"): where the content quotes the article.
QUOTES: list[tuple[tuple[str | int, ...], str, str]] = [
    (("home", "title"), "Quem é o contato de cobrança da minha conta?", "equals"),
    (("home", "intro"), INTRO, "equals"),
    (
        ("home", "who_can_see"),
        "Somente contatos de cobrança ou administradores da conta podem ver quem é o contato de cobrança de uma conta.",
        "equals",
    ),
    ((*BC, "label"), "Efetuar login no Centro de faturamento", "equals"),
    ((*BC, "audience"), "Se você acha que é o contato de cobrança, mas não tiver certeza, é possível verificar", "in"),
    ((*AC, "label"), "Efetuar login no Centro de Administração", "equals"),
    (
        (*AC, "audience"),
        "Se você for um administrador de conta, é possível efetuar login no Centro de Administração para determinar "
        "se também é um administrador de cobrança da conta.",
        "equals",
    ),
    (
        (*BC_Q, "outcome", "steps", 0),
        "Efetue login no Centro de faturamento em https://billing.logmeininc.com com seu endereço de e-mail e senha "
        "do GoToAssist Remote Support v5.",
        "equals",
    ),
    ((*BC_Q, "outcome", "steps", 1), "Uma das seguintes ações ocorrerá:", "equals"),
    ((*BC_Q, "outcome", "choices", "subscriptions"), SUBSCRIPTIONS, "equals"),
    (
        (*BC_Q, "outcome", "choices", "invalid-page"),
        "Será exibida a mensagem “Você chegou a uma página inválida”",
        "equals",
    ),
    (
        (*BC_Q, "my-account", "steps", 0),
        "clique no perfil da conta para ser redirecionado para a página Minha conta",
        "in",
    ),
    ((*BC_Q, "my-account", "steps", 1), "Uma das seguintes condições é verdadeira:", "equals"),
    (
        (*BC_Q, "my-account", "choices", "standard-account"),
        "Você tem uma conta padrão e não é o administrador de cobrança",
        "equals",
    ),
    ((*BC_Q, "corporate-login", "steps", 0), CORPORATE_BC, "equals"),
    (
        (*AC_Q, "outcome", "steps", 0),
        "Efetue login no Centro de Administração com seu endereço de e-mail e senha do GoToAssist Remote Support v5 "
        "em https://admin.logmeininc.com.",
        "equals",
    ),
    ((*AC_Q, "outcome", "steps", 1), "No painel de navegação à esquerda, selecione Adicionar licenças.", "equals"),
    ((*AC_Q, "outcome", "steps", 2), "Uma das seguintes ações ocorrerá:", "equals"),
    ((*AC_Q, "outcome", "choices", "subscriptions"), SUBSCRIPTIONS, "equals"),
    (
        (*AC_Q, "outcome", "choices", "contact-billing-admin"),
        "Será exibida uma mensagem orientando que você entre em contato com o administrador de cobrança para fazer "
        "alterações nos produtos ou no licenciamento de sua conta.",
        "equals",
    ),
    (
        (*AC_Q, "outcome", "choices", "select-product"),
        "Será exibida uma mensagem orientando que você selecione um produto para efetuar login no Centro de "
        "faturamento e adicionar licenças",
        "equals",
    ),
    ((*AC_Q, "corporate-login", "steps", 0), CORPORATE_AC, "equals"),
    (("verdicts", "billing-admin", "title"), "Você é o administrador de cobrança", "equals"),
    (
        ("verdicts", "standard-account", "body"),
        "Você tem uma conta padrão e não é o administrador de cobrança – para obter mais informações, entre em "
        "contato com o administrador da conta.",
        "equals",
    ),
    (
        ("verdicts", "contact-billing-admin", "body"),
        "Você não é o administrador de cobrança – para solicitar alterações, entre em contato com o administrador "
        "de cobrança (cujo nome e endereço de e-mail estejam listados na mensagem) clicando em Enviar e-mail para a "
        "administração de faturamento.",
        "equals",
    ),
    (("verdicts", "corporate-not-admin", "body"), NOT_ADMIN, "equals"),
    (("verdicts", "unsure", "body"), CLOSING, "equals"),
]


@pytest.mark.parametrize(("where", "sentence", "mode"), QUOTES, ids=[".".join(map(str, q[0])) for q in QUOTES])
def test_pt_br_quotes_the_article_verbatim(article: str, where: tuple[str, ...], sentence: str, mode: str) -> None:
    assert normalize(sentence) in article, "the curated sentence is not the article's"
    value = at(PT, where)
    if mode == "equals":
        assert value == sentence
    else:
        assert sentence.lower() in value.lower()


def test_closing_sentence_is_the_articles_last(article: str) -> None:
    assert article.endswith(CLOSING)
    assert article.count(CLOSING) == 2  # after each of the two ways
    assert article.count(NOT_ADMIN) == 2


def article_urls(article: str) -> set[str]:
    return {url.rstrip(".,;:") for url in re.findall(r"https://[^\s)\"”]+", article)}


def test_every_article_url_is_in_the_content(article: str) -> None:
    urls = article_urls(article)
    assert urls == {
        "https://billing.logmeininc.com",
        "https://admin.logmeininc.com",
        "https://link.logmeininc.com/corp-billing",
    }
    assert set(GRAPH["links"].values()) == urls  # every link, and none the article does not give
    pt_steps = [step for flow in PT["flows"].values() for q in flow["questions"].values() for step in q["steps"]]
    for url in urls:
        assert any(url in step for step in pt_steps), url


def test_every_url_in_a_step_is_a_link_of_that_question() -> None:
    for flow in GRAPH["flows"]:
        for question in flow["questions"]:
            steps = PT["flows"][flow["id"]]["questions"][question["id"]]["steps"]
            in_steps = {url.rstrip(".") for step in steps for url in re.findall(r"https://\S+", step)}
            linked = {GRAPH["links"][link_id] for link_id in question.get("links", [])}
            assert in_steps == linked, (flow["id"], question["id"])


# Each choice's anchor in the article: the choices must follow the article's order within each way.
ORDER = {
    ("billing-center", "outcome"): [
        ("subscriptions", SUBSCRIPTIONS),
        ("invalid-page", "Você chegou a uma página inválida"),
    ],
    ("billing-center", "my-account"): [
        ("standard-account", "Você tem uma conta padrão"),
        (
            "corporate-portal",
            "sua conta é gerenciada no Portal de Cobrança Corporativa – clique em Ir para faturamento",
        ),
    ],
    ("billing-center", "corporate-login"): [
        ("logged-in", "efetue login com seu ID de usuário"),
        ("cannot-log-in", NOT_ADMIN),
    ],
    ("admin-center", "outcome"): [
        ("subscriptions", SUBSCRIPTIONS),
        ("contact-billing-admin", "entre em contato com o administrador de cobrança para fazer alterações"),
        ("select-product", "selecione um produto para efetuar login no Centro de faturamento"),
    ],
    ("admin-center", "corporate-login"): [
        ("logged-in", "efetue login com seu ID de usuário"),
        ("cannot-log-in", NOT_ADMIN),
    ],
}


def flow_section(article: str, flow_id: str) -> str:
    split = article.index("Efetuar login no Centro de Administração Se você for")
    return article[:split] if flow_id == "billing-center" else article[split:]


@pytest.mark.parametrize(("flow_id", "question_id"), list(ORDER), ids=["/".join(k) for k in ORDER])
def test_choices_follow_the_articles_order(article: str, flow_id: str, question_id: str) -> None:
    flow = next(f for f in GRAPH["flows"] if f["id"] == flow_id)
    question = next(q for q in flow["questions"] if q["id"] == question_id)
    choice_ids = [c["id"] for c in question["choices"]]
    expected = ORDER[(flow_id, question_id)]
    assert choice_ids == [choice_id for choice_id, _ in expected] + ["unsure"]
    section = flow_section(article, flow_id)
    positions = [section.find(anchor) for _, anchor in expected]
    assert -1 not in positions, positions
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    pt_choices = list(PT["flows"][flow_id]["questions"][question_id]["choices"])
    assert pt_choices == choice_ids  # the texts list the choices in the same order too


def test_the_flows_follow_the_articles_order(article: str) -> None:
    labels = [PT["flows"][flow["id"]]["label"] for flow in GRAPH["flows"]]
    assert [flow["id"] for flow in GRAPH["flows"]] == ["billing-center", "admin-center"]
    assert article.index(labels[0]) < article.index(labels[1])


def test_every_question_has_an_unsure_choice_leading_to_the_unsure_verdict() -> None:
    for flow in GRAPH["flows"]:
        for question in flow["questions"]:
            last = question["choices"][-1]
            assert last == {"id": "unsure", "verdict": "unsure"}, (flow["id"], question["id"])
    unsure = next(v for v in GRAPH["verdicts"] if v["id"] == "unsure")
    assert unsure["kind"] == "unsure"


def flatten(doc: dict[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    out: dict[tuple[str, ...], Any] = {}
    for key, value in doc.items():
        if isinstance(value, dict):
            out.update(flatten(value, (*prefix, key)))
        else:
            out[(*prefix, key)] = value
    return out


def test_en_and_pt_br_have_the_same_keys() -> None:
    pt, en = flatten(PT), flatten(EN)
    assert set(pt) == set(en), {"only in pt-BR": set(pt) - set(en), "only in en": set(en) - set(pt)}
    for key, value in pt.items():
        if isinstance(value, list):
            assert len(en[key]) == len(value), key
    # Placeholders such as {path} must survive translation.
    for key, value in pt.items():
        if isinstance(value, str):
            assert set(re.findall(r"\{\w+\}", value)) == set(re.findall(r"\{\w+\}", en[key])), key


def test_en_steps_keep_the_same_urls() -> None:
    for flow_id, flow in PT["flows"].items():
        for question_id, question in flow["questions"].items():
            en_steps = EN["flows"][flow_id]["questions"][question_id]["steps"]
            for pt_step, en_step in zip(question["steps"], en_steps, strict=True):
                assert re.findall(r"https://\S+", pt_step) == re.findall(r"https://\S+", en_step)


def test_corporate_access_claims_no_more_than_the_article() -> None:
    """The article only implies billing access in the Corporate Billing Portal: never 'you are the billing admin'."""
    for doc, claim in ((PT, "você é o administrador de cobrança"), (EN, "you are the billing admin")):
        verdict = doc["verdicts"]["corporate-billing-admin"]
        assert claim not in (verdict["title"] + " " + verdict["body"]).lower()
    kinds = {v["id"]: v["kind"] for v in GRAPH["verdicts"]}
    assert kinds["corporate-billing-admin"] == "yes"
