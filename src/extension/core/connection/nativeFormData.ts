// axios's Node build takes its FormData class from the `form-data` package, which brings mime-db
// along (≈ 150 KB of the extension bundle, loaded at activation). Node 20 has a spec-compliant
// FormData, which axios's HTTP adapter streams as well, so esbuild.mjs resolves `form-data` to this
// module. Venue Chat itself never lets axios build a form: multipart bodies are our own bytes
// (multipart.ts), since some venues sign them byte for byte.
export default globalThis.FormData;
