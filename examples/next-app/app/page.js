import Counter from "./counter.js";

// A server component: the page shell. The counting happens in the client component (in the
// browser) and in the server route app/api/count/route.js.
export default function Page() {
  return (
    <main>
      <h1>Token counter</h1>
      <Counter />
    </main>
  );
}
