import { RouteTable, routeMatcher } from './route-table';

describe('routeMatcher', () => {
  it('matches a parameter segment by any single segment', () => {
    const matcher = routeMatcher('/v2/customers/:id');
    expect(matcher.test('/v2/customers/cust_1')).toBe(true);
    expect(matcher.test('/v2/customers/cust_1/')).toBe(true);
    expect(matcher.test('/v2/customers')).toBe(false);
    expect(matcher.test('/v2/customers/a/b')).toBe(false);
  });

  it('matches a wildcard by the rest of the path', () => {
    expect(routeMatcher('/docs/*').test('/docs/swagger-ui.css')).toBe(true);
  });

  it('treats dots and other characters literally', () => {
    expect(routeMatcher('/openapi.json').test('/openapiXjson')).toBe(false);
  });
});

describe('RouteTable', () => {
  const table = new RouteTable();
  table.add('/v2/customers', ['GET', 'HEAD']);
  table.add('/v2/customers', 'POST');
  table.add('/v2/customers/:id', ['GET', 'PATCH', 'DELETE']);

  it('lists the methods of a concrete path, sorted, ignoring the query string', () => {
    expect(table.allowedMethods('/v2/customers?limit=1')).toEqual(['GET', 'HEAD', 'POST']);
    expect(table.allowedMethods('/v2/customers/cust_1')).toEqual(['DELETE', 'GET', 'PATCH']);
  });

  it('lists nothing for an unknown path', () => {
    expect(table.allowedMethods('/v3/anything')).toEqual([]);
  });
});
