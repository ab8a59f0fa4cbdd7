import { redirect } from '@remix-run/node';

/** The home page is the flows list. (The layout's loader has already checked the session.) */
export async function loader() {
  return redirect('/flows');
}
