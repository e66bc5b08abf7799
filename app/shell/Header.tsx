export function Header() {
  return (
    <header className="header">
      <h1 className="brand">
        <span aria-hidden="true">λ</span> Fixpoint
      </h1>
      <span className="tagline">typed recursive LLM pipelines</span>
    </header>
  );
}
