/** The top bar: product name, then the document, run, share and model controls (each from its own folder). */
export function Header() {
  return (
    <header className="header">
      <h1 className="brand">
        <span aria-hidden="true">λ</span> Fixpoint
      </h1>
      <span className="tagline">typed recursive LLM pipelines</span>
      <div className="toolbar" role="toolbar" aria-label="Main toolbar" />
    </header>
  );
}
